package org.ntx.terminology;

import org.ntx.timeline.Code;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.RecognisedFrom;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the terminology layer made of a medication.
 *
 * @param drugClass      what it means for naltrexone safety
 * @param recognisedFrom a known code, or only names in its text
 * @param exposurePerUse how long one administration lasts (depot, implant, patch), when the product says so
 * @param codes          the codes as received plus those they translate to (an NDC's RxNorm concept)
 * @param unreadable     for {@link DrugClass#UNCLASSIFIED}: what could not be read, for the card
 */
public record MedicationRecognition(
        DrugClass drugClass,
        RecognisedFrom recognisedFrom,
        Optional<Duration> exposurePerUse,
        Set<Code> codes,
        Optional<String> unreadable) {

    public MedicationRecognition {
        Objects.requireNonNull(drugClass, "drugClass");
        Objects.requireNonNull(recognisedFrom, "recognisedFrom");
        Objects.requireNonNull(exposurePerUse, "exposurePerUse");
        codes = Set.copyOf(codes);
        Objects.requireNonNull(unreadable, "unreadable");
    }
}
