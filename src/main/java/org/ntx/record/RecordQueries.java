package org.ntx.record;

import org.ntx.timeline.Code;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The searches we run on a client's FHIR server for a part of the record it did not bring along: what the rules
 * need, sized so that a typical record comes in one page.
 *
 * <ul>
 * <li>Medications: all of the patient's, with the referenced Medications {@code _include}d where the server says it
 *     can. They are <em>not</em> filtered by drug class: an opioid or naltrexone product coded only by NDC, by a local
 *     code or only in text is recognised by the terminology layer from what it finds, and a code filter on the server
 *     would drop exactly those records unseen.</li>
 * <li>Laboratory results: only those coded, or with a component coded, with a code the rules read
 *     ({@link TimelineMapper#labCodesRead()}, from the terminology layer's value sets): {@code combo-code=}
 *     searches (code or a component's code), else {@code code=} and {@code component-code=} searches side by side,
 *     each code list split into queries of bounded URL length. A code asked for without its system matches it in
 *     any system (a superset), and an Observation neither coded so nor with a component coded so is one the rules
 *     never read: the filter drops nothing they act on. The component part matters for a panel sent as one
 *     Observation under a local code with ALT and AST as its components, so the filter is used only where the
 *     server's CapabilityStatement lists {@code combo-code} or {@code component-code} for Observation; elsewhere (or
 *     while that is not known yet) every Observation of the patient is read: slower, and nothing missed. A look-back
 *     window is added only when configured ({@link RecordProperties#labLookback()}).</li>
 * <li>Conditions: all of the patient's (few; a liver diagnosis may be coded in many ways).</li>
 * </ul>
 */
final class RecordQueries {

    /** Query strings stay under this many characters: servers and proxies commonly refuse longer URLs. */
    static final int MAX_QUERY_LENGTH = 1800;
    /** The search parameter of each medication type that references its Medication. */
    static final String INCLUDE_PARAMETER = "medication";

    private final List<String> labCodeLists;
    private final int pageSize;
    private final Duration labLookback;

    RecordQueries(Set<Code> labCodes, int pageSize, Duration labLookback) {
        this.labCodeLists = codeLists(labCodes);
        this.pageSize = pageSize;
        this.labLookback = labLookback;
    }

    /**
     * The searches for {@code part}, relative to the server's base.
     *
     * @param canInclude  whether the server can {@code _include} a parameter on a type (type, "Type:param")
     * @param canSearchBy whether the server lists a search parameter for a type (type, parameter name)
     */
    List<String> searches(RecordPart part, String patientId, Instant asOf, BiPredicate<String, String> canInclude,
                          BiPredicate<String, String> canSearchBy) {
        String type = part.resourceType();
        String patient = type + "?patient=" + patientId + "&_count=" + pageSize;
        return switch (part) {
            case LAB_OBSERVATIONS -> {
                String since = labLookback.isZero() ? ""
                        : "&date=ge" + DateTimeFormatter.ISO_LOCAL_DATE.format(asOf.minus(labLookback)
                                .atOffset(ZoneOffset.UTC));
                // combo-code (code or a component's code) in one search where the server has it.
                List<String> parameters = canSearchBy.test(type, "combo-code") ? List.of("combo-code")
                        : canSearchBy.test(type, "component-code") ? List.of("code", "component-code")
                        : List.of();
                if (parameters.isEmpty()) {
                    yield List.of(patient + since);
                }
                List<String> searches = new ArrayList<>();
                for (String parameter : parameters) {
                    labCodeLists.forEach(codes -> searches.add(patient + "&" + parameter + "=" + codes + since));
                }
                yield List.copyOf(searches);
            }
            case MEDICATION_REQUESTS, MEDICATION_ADMINISTRATIONS, MEDICATION_DISPENSES, MEDICATION_STATEMENTS -> {
                String include = type + ":" + INCLUDE_PARAMETER;
                yield List.of(canInclude.test(type, include) ? patient + "&_include=" + include : patient);
            }
            default -> List.of(patient);
        };
    }

    /** The codes, sorted and comma-separated, in as few lists as keep each query short enough. */
    private static List<String> codeLists(Set<Code> codes) {
        List<String> values = codes.stream().map(Code::value).distinct().sorted().toList();
        List<String> lists = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String value : values) {
            if (current.length() > 0 && current.length() + value.length() + 1 > MAX_QUERY_LENGTH) {
                lists.add(current.toString());
                current.setLength(0);
            }
            current.append(current.length() == 0 ? "" : ",").append(value);
        }
        if (current.length() > 0) {
            lists.add(current.toString());
        }
        return List.copyOf(lists);
    }

    /** Medications by id, in lists short enough for one query each. */
    List<String> medicationsById(List<String> ids) {
        List<String> searches = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String id : ids) {
            if (current.length() > 0 && current.length() + id.length() + 1 > MAX_QUERY_LENGTH) {
                searches.add("Medication?_id=" + current + "&_count=" + pageSize);
                current.setLength(0);
            }
            current.append(current.length() == 0 ? "" : ",").append(id);
        }
        if (current.length() > 0) {
            searches.add("Medication?_id=" + current + "&_count=" + pageSize);
        }
        return searches;
    }
}
