package org.ntx.terminology;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * National Drug Codes as pharmacy and administration records carry them. The FDA publishes NDCs as 10 digits in one of
 * three hyphenated layouts (labeler-product-package 4-4-2, 5-3-2 or 5-4-1); HIPAA transactions use 11 digits (5-4-2),
 * made by a leading zero in the short segment. A 10-digit NDC without hyphens cannot say which segment is short, so all
 * three 11-digit readings are candidates and the caller keeps the one it knows.
 */
public final class Ndc {

    /** System URIs used for NDC: the FHIR one, its OID, and forms seen in EHR exports. */
    public static final Set<String> SYSTEMS = Set.of("http://hl7.org/fhir/sid/ndc", "urn:oid:2.16.840.1.113883.6.69",
            "https://hl7.org/fhir/sid/ndc", "http://www.fda.gov/ndc", "https://www.fda.gov/ndc");

    private Ndc() {
    }

    public static boolean isNdcSystem(String system) {
        return system != null && SYSTEMS.contains(system.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The 11-digit forms this value may stand for: one for an 11-digit or hyphenated value, up to three for 10 bare
     * digits, none for anything that is not an NDC.
     */
    public static List<String> elevenDigitCandidates(String value) {
        if (value == null) {
            return List.of();
        }
        String v = value.trim().replace(' ', '-');
        if (v.contains("-")) {
            String[] parts = v.split("-");
            if (parts.length != 3 || !allDigits(parts[0]) || !allDigits(parts[1]) || !allDigits(parts[2])
                    || parts[0].length() > 5 || parts[1].length() > 4 || parts[2].length() > 2
                    || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
                return List.of();
            }
            String eleven = pad(parts[0], 5) + pad(parts[1], 4) + pad(parts[2], 2);
            return List.of(eleven);
        }
        if (!allDigits(v)) {
            return List.of();
        }
        if (v.length() == 11) {
            return List.of(v);
        }
        if (v.length() == 10) {
            return List.of("0" + v,                                       // 4-4-2
                    v.substring(0, 5) + "0" + v.substring(5),             // 5-3-2
                    v.substring(0, 9) + "0" + v.substring(9));            // 5-4-1
        }
        return List.of();
    }

    /** The labeler and product part (first 9 of the 11 digits), for records that name the product but no package. */
    public static List<String> productCandidates(String value) {
        if (value == null) {
            return List.of();
        }
        String v = value.trim();
        if (v.contains("-")) {
            String[] parts = v.split("-");
            if (parts.length == 2 && allDigits(parts[0]) && allDigits(parts[1]) && !parts[0].isEmpty()
                    && !parts[1].isEmpty() && parts[0].length() <= 5 && parts[1].length() <= 4) {
                return List.of(pad(parts[0], 5) + pad(parts[1], 4));
            }
            return List.of();
        }
        if (allDigits(v) && v.length() == 9) {
            return List.of(v);
        }
        if (allDigits(v) && v.length() == 8) {
            return List.of("0" + v, v.substring(0, 5) + "0" + v.substring(5));
        }
        return List.of();
    }

    private static String pad(String digits, int length) {
        return "0".repeat(length - digits.length()) + digits;
    }

    private static boolean allDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }
}
