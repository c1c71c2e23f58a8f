package org.ntx.terminology;

import org.ntx.timeline.Code;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The system URIs real records use for the same code system, folded into the one the terminology data uses.
 * HCPCS Level II: the THO canonical (the CMS URL, THO CodeSystem hcpcs-Level-II), its OID 2.16.840.1.113883.6.285, and
 * older THO forms; RxNorm: the NLM URL and its OID 2.16.840.1.113883.6.88.
 */
public final class CodeSystems {

    public static final String HCPCS = "urn:oid:2.16.840.1.113883.6.285";

    private static final Set<String> HCPCS_ALIASES = Set.of(
            "urn:oid:2.16.840.1.113883.6.285",
            "http://www.cms.gov/medicare/coding/hcpcsreleasecodesets",
            "https://www.cms.gov/medicare/coding/hcpcsreleasecodesets",
            "http://terminology.hl7.org/codesystem/hcpcs",
            "http://terminology.hl7.org/codesystem/hcpcs-all-codes",
            "http://terminology.hl7.org/codesystem/hcpcs-level-ii",
            "https://terminology.hl7.org/codesystem/hcpcs-all-codes",
            "http://www.cms.gov/medicare/coding/medhcpcsgeninfo",
            "https://www.cms.gov/medicare/coding/medhcpcsgeninfo");

    private static final Set<String> RXNORM_ALIASES = Set.of(
            "http://www.nlm.nih.gov/research/umls/rxnorm", "https://www.nlm.nih.gov/research/umls/rxnorm",
            "urn:oid:2.16.840.1.113883.6.88");

    private CodeSystems() {
    }

    /** The code in the system the terminology data uses; unchanged when the system is not one we fold. */
    public static Code canonical(Code code) {
        String system = normalise(code.system());
        if (HCPCS_ALIASES.contains(system)) {
            return new Code(HCPCS, code.value().trim().toUpperCase(Locale.ROOT));
        }
        if (RXNORM_ALIASES.contains(system)) {
            return Code.rxnorm(code.value().trim());
        }
        return code;
    }

    public static boolean isHcpcs(String system) {
        return HCPCS_ALIASES.contains(normalise(system));
    }

    private static String normalise(String system) {
        String s = Optional.ofNullable(system).orElse("").trim().toLowerCase(Locale.ROOT);
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
