package org.ntx.cds;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.Type;
import org.ntx.rules.Finding;
import org.ntx.timeline.SourceRef;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a card rests on, reduced to digests order-sign can compare with what order-select showed: the finding (topic,
 * severity, and each piece of evidence with its date) and the draft orders it is about (product, dose and route, as
 * the client wrote them). Two cards with equal digests say the same thing about the same unchanged orders; anything
 * that changes what a card rests on (another product, dose or route, a new injection, a new lab result, a change of
 * severity) changes a digest. The evidence's wording is not part of it: it is derived from the records.
 *
 * @param finding  digest of topic, severity and evidence
 * @param drafts   digest of the drafts' product, dose and route
 * @param draftIds the ids the client gave those drafts, sorted and joined; empty if any draft came without one
 */
record CardBasis(String finding, String drafts, Optional<String> draftIds) {

    /**
     * The basis of a card about draft orders; empty when there are none (patient view). A finding about the whole
     * request rather than one draft (data unavailable: which kind of data, and the records that could not be read)
     * rests on every draft of the request, and on what was missing and why (its summary says: not read, not read in
     * time, read only in part), so a different shortfall at signing shows the card again.
     */
    static Optional<CardBasis> of(Finding finding, DraftOrders drafts) {
        List<String> about = finding.draftOrders().isEmpty() ? drafts.references()
                : finding.draftOrders().stream().map(SourceRef::reference).toList();
        if (about.isEmpty()) {
            return Optional.empty();
        }
        List<String> evidence = finding.evidence().stream()
                .map(e -> e.source().reference() + "@" + e.effective())
                .sorted().toList();
        String findingDigest = digest(finding.topic().code() + "|" + finding.severity() + "|"
                + finding.unavailableData().map(kind -> kind.name() + ":" + finding.summary()).orElse("") + "|"
                + String.join(";", evidence));
        List<String> keys = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        boolean allIdentified = true;
        for (String draft : about) {
            keys.add(drafts.key(draft).orElse("unknown:" + draft));
            Optional<String> id = drafts.clientId(draft);
            allIdentified &= id.isPresent();
            id.ifPresent(ids::add);
        }
        return Optional.of(new CardBasis(findingDigest, digest(keys.stream().sorted().collect(Collectors.joining("\n"))),
                allIdentified ? Optional.of(ids.stream().sorted().collect(Collectors.joining(","))) : Optional.empty()));
    }

    static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /**
     * The draft orders of one request: each MedicationRequest's product, dose and route as a canonical string, by
     * the reference the rules know it by, and whether the client gave it that id.
     */
    static final class DraftOrders {

        private final Map<String, String> keys = new TreeMap<>();
        private final Set<String> clientIds;

        /**
         * @param drafts    the drafts as the record layer receives them (every one with an id)
         * @param clientIds the ids among them the client gave; the others were assigned by the parser
         */
        DraftOrders(List<Resource> drafts, Set<String> clientIds) {
            this.clientIds = Set.copyOf(clientIds);
            for (Resource resource : drafts) {
                if (resource instanceof MedicationRequest order && order.getIdElement().getIdPart() != null) {
                    keys.put("MedicationRequest/" + order.getIdElement().getIdPart(), key(order));
                }
            }
        }

        /** Every draft MedicationRequest of the request, by reference. */
        List<String> references() {
            return List.copyOf(keys.keySet());
        }

        Optional<String> key(String reference) {
            return Optional.ofNullable(keys.get(reference));
        }

        Optional<String> clientId(String reference) {
            String id = reference.substring(reference.indexOf('/') + 1);
            return clientIds.contains(id) && keys.containsKey(reference) ? Optional.of(id) : Optional.empty();
        }

        /** Product, then dose (amount, timing, as needed, text), then route, of every dosage instruction. */
        private static String key(MedicationRequest order) {
            StringBuilder key = new StringBuilder("product=").append(product(order));
            for (Dosage dosage : order.getDosageInstruction()) {
                key.append("|dose=");
                dosage.getDoseAndRate().forEach(dr -> key.append(amount(dr.getDose())).append(';'));
                key.append(timing(dosage.getTiming()));
                if (dosage.hasAsNeeded()) {
                    key.append(";prn=").append(amount(dosage.getAsNeeded()));
                }
                if (dosage.hasText()) {
                    key.append(";text=").append(dosage.getText().strip().toLowerCase(Locale.ROOT));
                }
                key.append("|route=").append(concept(dosage.getRoute()));
            }
            return key.toString();
        }

        private static String product(MedicationRequest order) {
            Type medication = order.getMedication();
            if (medication instanceof CodeableConcept concept) {
                return concept(concept);
            }
            if (medication instanceof Reference reference && reference.hasReference()) {
                String ref = reference.getReference();
                if (ref.startsWith("#")) {
                    for (Resource contained : order.getContained()) {
                        if (contained instanceof Medication m && ref.substring(1).equals(
                                contained.getIdElement().getIdPart())) {
                            return concept(m.getCode());
                        }
                    }
                }
                return ref;
            }
            return "";
        }

        private static String concept(CodeableConcept concept) {
            if (concept == null || concept.isEmpty()) {
                return "";
            }
            List<String> codes = concept.getCoding().stream().filter(Coding::hasCode)
                    .map(c -> c.getSystem() + "#" + c.getCode()).sorted().toList();
            return codes.isEmpty() ? "text:" + (concept.hasText() ? concept.getText().strip().toLowerCase(Locale.ROOT)
                    : "") : String.join(",", codes);
        }

        private static String amount(Type value) {
            if (value instanceof Quantity quantity) {
                BigDecimal number = quantity.getValue();
                return (number == null ? "" : number.stripTrailingZeros().toPlainString()) + " "
                        + (quantity.hasCode() ? quantity.getCode() : quantity.getUnit());
            }
            if (value instanceof Range range) {
                return amount(range.getLow()) + "-" + amount(range.getHigh());
            }
            if (value instanceof CodeableConcept concept) {
                return concept(concept);
            }
            return value == null ? "" : value.primitiveValue() == null ? value.fhirType() : value.primitiveValue();
        }

        private static String timing(Timing timing) {
            if (timing == null || !timing.hasRepeat()) {
                return timing != null && timing.hasCode() ? "timing=" + concept(timing.getCode()) : "";
            }
            Timing.TimingRepeatComponent repeat = timing.getRepeat();
            return "timing=" + repeat.getFrequency() + "/" + repeat.getPeriod() + " " + repeat.getPeriodUnit()
                    + (repeat.hasFrequencyMax() ? " max " + repeat.getFrequencyMax() : "");
        }
    }
}
