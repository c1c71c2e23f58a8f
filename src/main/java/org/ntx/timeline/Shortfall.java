package org.ntx.timeline;

/**
 * Why a kind of data is missing from a timeline, so that the card can tell the clinician what to look at: the data
 * could not be read at all, was not read within the time the call may take, or came back incomplete (a list with
 * further pages that could not be read).
 */
public enum Shortfall {
    /** The source refused, failed or sent something unreadable. */
    NOT_READ("could not be retrieved"),
    /** The call's time budget ran out before this data arrived. */
    NOT_READ_IN_TIME("were not read in time"),
    /** Part of the list arrived, the rest could not be read. */
    INCOMPLETE("were read only in part");

    private final String phrase;

    Shortfall(String phrase) {
        this.phrase = phrase;
    }

    /** A verb phrase after the data's label: "laboratory results were not read in time". */
    public String phrase() {
        return phrase;
    }
}
