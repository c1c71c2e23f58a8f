package org.ntx.terminology;

import org.fhir.ucum.Decimal;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enzyme activity units as laboratories report them, converted with the UCUM library ({@code org.fhir:ucum}, the
 * UCUM essence file it ships) instead of comparing strings: U/L, ukat/L (SI), nkat/L, U/mL and any other unit UCUM
 * can convert to U/L. The "international unit" of enzyme activity labs write as IU/L or [IU]/L is the enzyme unit U
 * (1 umol/min); UCUM's [IU] is an arbitrary unit with no conversion, so those spellings are read as U/L first.
 */
public final class LabUnits {

    private static final String UNITS_PER_LITRE = "U/L";
    private static final Map<String, String> SPELLINGS = Map.of(
            "iu/l", UNITS_PER_LITRE, "[iu]/l", UNITS_PER_LITRE, "u/l", UNITS_PER_LITRE, "units/l", UNITS_PER_LITRE,
            "µkat/l", "ukat/L", "μkat/l", "ukat/L", "mckat/l", "ukat/L");

    private final UcumEssenceService ucum;
    private final Map<String, Optional<BigDecimal>> factors = new ConcurrentHashMap<>();

    private LabUnits(UcumEssenceService ucum) {
        this.ucum = ucum;
    }

    public static LabUnits fromClasspath() {
        try (InputStream in = LabUnits.class.getClassLoader().getResourceAsStream("ucum-essence.xml")) {
            if (in == null) {
                throw new IOException("ucum-essence.xml is not on the classpath");
            }
            return new LabUnits(new UcumEssenceService(in));
        } catch (IOException | UcumException e) {
            throw new IllegalStateException("Cannot load the UCUM essence", e);
        }
    }

    /**
     * How many U/L one unit of {@code unit} is (60 for ukat/L, 0.06 for nkat/L, 1 for U/L and IU/L); empty when the
     * unit is not an enzyme activity concentration UCUM can convert.
     */
    public Optional<BigDecimal> unitsPerLitre(String unit) {
        if (unit == null || unit.isBlank()) {
            return Optional.empty();
        }
        String spelled = SPELLINGS.getOrDefault(unit.trim().toLowerCase(Locale.ROOT), unit.trim());
        return factors.computeIfAbsent(spelled, this::factor);
    }

    private Optional<BigDecimal> factor(String unit) {
        if (UNITS_PER_LITRE.equals(unit)) {
            return Optional.of(BigDecimal.ONE);
        }
        try {
            if (ucum.validate(unit) != null) {
                return Optional.empty();
            }
            Decimal converted = ucum.convert(new Decimal(1), unit, UNITS_PER_LITRE);
            return Optional.of(new BigDecimal(converted.asDecimal()).round(MathContext.DECIMAL64).stripTrailingZeros());
        } catch (UcumException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
