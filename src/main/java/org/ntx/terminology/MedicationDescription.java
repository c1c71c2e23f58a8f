package org.ntx.terminology;

import org.ntx.timeline.Code;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a record says about which medication it is, gathered from the resource and any Medication it points to:
 * every coding (RxNorm, NDC, HCPCS, local), the texts and code displays, the dose form, route, the product's strength
 * and the dose given, each in milligrams when stated so.
 */
public record MedicationDescription(
        Set<Code> codes,
        List<String> texts,
        Optional<String> doseForm,
        Optional<String> route,
        Optional<BigDecimal> strengthMg,
        Optional<BigDecimal> doseMg) {

    public MedicationDescription {
        codes = Set.copyOf(codes);
        texts = texts.stream().filter(Objects::nonNull).filter(t -> !t.isBlank()).toList();
        Objects.requireNonNull(doseForm, "doseForm");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(strengthMg, "strengthMg");
        Objects.requireNonNull(doseMg, "doseMg");
    }

    public static MedicationDescription ofCodes(Collection<Code> codes, Optional<String> route) {
        return new MedicationDescription(Set.copyOf(codes), List.of(), Optional.empty(), route, Optional.empty(),
                Optional.empty());
    }

    public static MedicationDescription ofText(String text) {
        return new MedicationDescription(Set.of(), List.of(text), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }
}
