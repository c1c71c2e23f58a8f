package org.ntx.cds;

import jakarta.validation.Valid;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.time.ZoneId;

/**
 * CDS Hooks transport settings ({@code ntx.cds.*}). Under the same prefix: how records are read (paging, reuse:
 * {@code record.RecordProperties}) and whether the write-time check refuses opioid orders
 * ({@code operations.OperationsProperties}). Where cards link to (the topic pages, the timeline) is built from
 * {@code ntx.server.public-base-url} ({@code server.PublicUrls}).
 *
 * @param timelineLink  which link to this server's patient timeline cards carry: {@code auto} (a SMART app link when
 *                      authentication is on, a plain absolute link when it is off), {@code smart}, {@code absolute},
 *                      or {@code none}
 * @param coordination  how order-sign treats a card already answered at order-select
 */
@Validated
@ConfigurationProperties("ntx.cds")
public record CdsProperties(
        @DefaultValue("auto") TimelineLink timelineLink,
        @DefaultValue @Valid Coordination coordination) {

    /** The default settings, for tests of the pure pipeline. */
    public static CdsProperties defaults() {
        return new CdsProperties(TimelineLink.AUTO, Coordination.defaults());
    }

    /** Which link to the patient timeline a card carries. */
    public enum TimelineLink {
        AUTO, SMART, ABSOLUTE, NONE
    }

    /**
     * Order-select and order-sign as one decision (issue 20; the PDDI CDS IG's "advanced implementation").
     *
     * @param rememberAnsweredCards for clients that send no PDDI configuration: a warning or critical card answered
     *                              at order-select through feedback (overridden, with or without a reason, or a
     *                              suggestion accepted) is not shown again as the same interruptive card at
     *                              order-sign for the same unchanged draft, patient and prescriber; on by default
     * @param maxAge                an acknowledgement (or, with the PDDI option, a card cached at order-select) older
     *                              than this no longer counts: the card is shown in full again; 60 minutes, a
     *                              service default (the IG sets no time-out; it allows one)
     * @param acknowledgementCard   when a card is not repeated, order-sign returns an {@code info} card that records
     *                              what was acknowledged, when, and why; on by default
     * @param timeZone              the zone the acknowledgement's time of day is written in ("acknowledged at
     *                              selection, 10:42"); the server cannot know the clinician's, so set the site's
     */
    public record Coordination(
            @DefaultValue("true") boolean rememberAnsweredCards,
            @DefaultValue("60m") Duration maxAge,
            @DefaultValue("true") boolean acknowledgementCard,
            @DefaultValue("UTC") ZoneId timeZone) {

        public static Coordination defaults() {
            return new Coordination(true, Duration.ofMinutes(60), true, ZoneId.of("UTC"));
        }
    }
}
