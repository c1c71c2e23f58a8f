package org.ntx.timeline;

/** How the terminology layer recognised a medication: from a code it knows, or only from names in its text. */
public enum RecognisedFrom {
    /** A known RxNorm, NDC or HCPCS code (or a known ingredient code read with its dose form, route and strength). */
    CODES,
    /** No known code; ingredient or brand names in the text or code displays. Weaker evidence, and cards say so. */
    TEXT
}
