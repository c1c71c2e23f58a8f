package org.ntx.measures;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shared by the server's and the Spark job's tests (a test source root of both builds, as survival/ is).
 * The stories of measures/stories.csv as a FHIR Bulk Data export (one ndjson file per resource type, subjects as
 * {@code Patient/<id>}), each story one patient whose day 0 lies {@code follow_up} days before the evaluation date.
 * The notation (measures/README.md):
 * <pre>
 * xr-naltrexone given@0            injection administered on day 0 (completed)
 * naltrexone dispensed@0 30d       oral naltrexone dispensed, 30 days' supply (also 4wk, 1mo); no supply: none stated
 * naltrexone ordered@0 30d         order with expected supply; status words: cancelled, draft, entered-in-error, ...
 * naltrexone taking@0              a MedicationStatement
 * oxycodone dispensed@15 7d        opioid dispense; naloxone given@100: reversal agent administered
 * hcpcs-naltrexone given@0         injection coded only with HCPCS J2315
 * opioid-screen@20=positive        opioid urine drug screen (negative; "preliminary" as a status word)
 * ALT@20=130/40   AST@15=121       liver test value U/L, optionally /upper limit of normal from the lab
 * ndc-naltrexone dispensed@0 30d  oral naltrexone coded only by its NDC (51407-959-30)
 * ... refills=2   ... dose=150mg    an order's refills; the dose of a dispense or order (mg)
 * ... medref                        the drug named by a Medication resource (medicationReference), not inline
 * AST@15=121 period                 a lab dated by effectivePeriod.start instead of effectiveDateTime
 * oud@-5   aud@-10   overdose@119  diagnoses (onset); "refuted" as a status word
 * died@40   transferred@20   age=16
 * </pre>
 * Anything else fails, so a typo in the table cannot pass silently.
 */
public final class StoryExport {

    public static final Instant AS_OF = Instant.parse("2026-06-01T10:00:00Z");
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

    public record Story(int number, String name, int followUp, String record, Map<String, String> expected) {
        public String patientId() {
            return String.format("story-%02d", number);
        }
    }

    private static final Map<String, String[]> DRUGS = Map.of(
            "xr-naltrexone", new String[] {RXNORM, "637213"},
            "naltrexone", new String[] {RXNORM, "1483744"},
            "hcpcs-naltrexone", new String[] {"urn:oid:2.16.840.1.113883.6.285", "J2315"},
            "ndc-naltrexone", new String[] {"http://hl7.org/fhir/sid/ndc", "51407-959-30"},
            "oxycodone", new String[] {RXNORM, "1049683"},
            "methadone", new String[] {RXNORM, "864706"},
            "naloxone", new String[] {RXNORM, "1191222"});
    private static final Map<String, String> CONDITIONS = Map.of("oud", "5602001", "aud", "7200002",
            "overdose", "55680006");
    private static final Pattern MEDICATION = Pattern.compile("([a-z-]+) (given|dispensed|ordered|taking)@(-?\\d+)(.*)");
    private static final Pattern LAB = Pattern.compile("(ALT|AST|opioid-screen)@(-?\\d+)=([\\w.]+)(?:/([\\d.]+))?(.*)");
    private static final Pattern EVENT = Pattern.compile("([a-z]+)@(-?\\d+)(.*)");
    private static final Pattern SUPPLY = Pattern.compile("(\\d+)(d|wk|mo)");

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, List<String>> lines = new LinkedHashMap<>();
    private int counter;

    public static List<Story> read(Path csv) throws IOException {
        List<Story> stories = new ArrayList<>();
        List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String row : rows.subList(1, rows.size())) {
            if (row.isBlank() || row.startsWith("#")) {
                continue;
            }
            String[] cells = row.split(",", -1);
            if (cells.length != 5) {
                throw new IllegalArgumentException("stories.csv: 5 cells expected: " + row);
            }
            Map<String, String> expected = new LinkedHashMap<>();
            for (String pair : cells[4].trim().split("\\s+")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("stories.csv: key=value expected: " + pair);
                }
                expected.put(kv[0], kv[1]);
            }
            stories.add(new Story(stories.size() + 1, cells[0], Integer.parseInt(cells[2].trim()), cells[3], expected));
        }
        return stories;
    }

    public void add(Story story) {
        Instant day0 = AS_OF.minus(Duration.ofDays(story.followUp()));
        String patient = story.patientId();
        ObjectNode patientResource = resource("Patient", patient);
        patientResource.put("birthDate", day0.atZone(ZoneOffset.UTC).toLocalDate().minusYears(40).toString());
        for (String entry : story.record().split(";")) {
            String e = entry.trim();
            Matcher m;
            if ((m = MEDICATION.matcher(e)).matches()) {
                medication(patient, day0, m.group(1), m.group(2), Integer.parseInt(m.group(3)), m.group(4).trim());
            } else if ((m = LAB.matcher(e)).matches()) {
                lab(patient, day0, m.group(1), Integer.parseInt(m.group(2)), m.group(3), m.group(4), m.group(5).trim());
            } else if (e.startsWith("age=")) {
                patientResource.put("birthDate", day0.atZone(ZoneOffset.UTC).toLocalDate()
                        .minusYears(Integer.parseInt(e.substring(4))).toString());
            } else if ((m = EVENT.matcher(e)).matches()) {
                Instant when = day(day0, Integer.parseInt(m.group(2)));
                String rest = m.group(3).trim();
                switch (m.group(1)) {
                    case "died" -> patientResource.put("deceasedDateTime", when.toString());
                    case "transferred" -> transfer(patient, when);
                    default -> condition(patient, m.group(1), when, rest);
                }
            } else {
                throw new IllegalArgumentException("story " + story.number() + ": unrecognised entry '" + e + "'");
            }
        }
        write("Patient", patientResource);
    }

    public void writeTo(Path folder) {
        try {
            Files.createDirectories(folder);
            for (Map.Entry<String, List<String>> type : lines.entrySet()) {
                Files.write(folder.resolve(type.getKey() + ".ndjson"), type.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void medication(String patient, Instant day0, String drug, String verb, int day, String rest) {
        String[] code = DRUGS.get(drug);
        if (code == null) {
            throw new IllegalArgumentException("unknown drug " + drug);
        }
        Instant when = day(day0, day);
        String status = null;
        Integer supply = null;
        String unit = null;
        Integer refills = null;
        Integer dose = null;
        boolean reference = false;
        for (String word : rest.isEmpty() ? new String[0] : rest.split("\\s+")) {
            Matcher s = SUPPLY.matcher(word);
            if (word.matches("refills=\\d+")) {
                refills = Integer.parseInt(word.substring("refills=".length()));
            } else if (word.matches("dose=\\d+mg")) {
                dose = Integer.parseInt(word.substring("dose=".length(), word.length() - 2));
            } else if (word.equals("medref")) {
                reference = true;
            } else if (s.matches()) {
                supply = Integer.parseInt(s.group(1));
                unit = s.group(2);
            } else if (word.matches("[a-z-]+")) {
                status = word;
            } else {
                throw new IllegalArgumentException("unknown word " + word);
            }
        }
        ObjectNode r;
        switch (verb) {
            case "given" -> {
                r = resource("MedicationAdministration", null);
                r.put("status", status == null ? "completed" : status);
                r.put("effectiveDateTime", when.toString());
                if (drug.contains("naltrexone") && !drug.equals("naltrexone")) {
                    r.putObject("dosage").putObject("route").put("text", "Intramuscular route");
                }
            }
            case "dispensed" -> {
                r = resource("MedicationDispense", null);
                r.put("status", status == null ? "completed" : status);
                r.put("whenHandedOver", when.toString());
                if (supply != null) {
                    quantity(r.putObject("daysSupply"), supply, unit);
                }
                if (dose != null) {
                    dose(r.putArray("dosageInstruction").addObject(), dose);
                }
            }
            case "ordered" -> {
                r = resource("MedicationRequest", null);
                r.put("status", status == null ? "active" : status);
                r.put("intent", "order");
                r.put("authoredOn", when.toString());
                if (supply != null) {
                    quantity(r.putObject("dispenseRequest").putObject("expectedSupplyDuration"), supply, unit);
                }
                if (refills != null) {
                    r.with("dispenseRequest").put("numberOfRepeatsAllowed", refills);
                }
                if (dose != null) {
                    dose(r.putArray("dosageInstruction").addObject(), dose);
                }
            }
            default -> {
                r = resource("MedicationStatement", null);
                r.put("status", status == null ? "active" : status);
                r.put("effectiveDateTime", when.toString());
            }
        }
        r.putObject("subject").put("reference", "Patient/" + patient);
        ObjectNode concept = json.createObjectNode();
        ObjectNode coding = concept.putArray("coding").addObject();
        coding.put("system", code[0]);
        coding.put("code", code[1]);
        if (reference) {
            ObjectNode medication = resource("Medication", null);
            medication.set("code", concept);
            write("Medication", medication);
            r.putObject("medicationReference").put("reference", "Medication/" + medication.get("id").asText());
        } else {
            r.set("medicationCodeableConcept", concept);
        }
        write(r.get("resourceType").asText(), r);
    }

    private static void dose(ObjectNode dosage, int mg) {
        ObjectNode quantity = dosage.putArray("doseAndRate").addObject().putObject("doseQuantity");
        quantity.put("value", mg);
        quantity.put("unit", "mg");
        quantity.put("system", "http://unitsofmeasure.org");
        quantity.put("code", "mg");
    }

    private void lab(String patient, Instant day0, String test, int day, String value, String upperLimit, String rest) {
        ObjectNode r = resource("Observation", null);
        boolean period = rest.endsWith("period");
        rest = period ? rest.substring(0, rest.length() - "period".length()).trim() : rest;
        r.put("status", rest.isEmpty() ? "final" : rest);
        ObjectNode coding = r.putObject("code").putArray("coding").addObject();
        coding.put("system", "http://loinc.org");
        r.putObject("subject").put("reference", "Patient/" + patient);
        if (period) {
            r.putObject("effectivePeriod").put("start", day(day0, day).toString());
        } else {
            r.put("effectiveDateTime", day(day0, day).toString());
        }
        if (test.equals("opioid-screen")) {
            coding.put("code", "19295-5");
            ObjectNode result = r.putObject("valueCodeableConcept").putArray("coding").addObject();
            result.put("system", "http://snomed.info/sct");
            result.put("code", switch (value) {
                case "positive" -> "10828004";
                case "negative" -> "260385009";
                default -> throw new IllegalArgumentException("screen result " + value);
            });
        } else {
            coding.put("code", test.equals("ALT") ? "1742-6" : "1920-8");
            ObjectNode quantity = r.putObject("valueQuantity");
            quantity.put("value", Double.parseDouble(value));
            quantity.put("unit", "U/L");
            quantity.put("system", "http://unitsofmeasure.org");
            quantity.put("code", "U/L");
            if (upperLimit != null) {
                r.putArray("referenceRange").addObject().putObject("high").put("value", Double.parseDouble(upperLimit));
            }
        }
        write("Observation", r);
    }

    private void condition(String patient, String name, Instant when, String rest) {
        String code = CONDITIONS.get(name);
        if (code == null) {
            throw new IllegalArgumentException("unknown condition " + name);
        }
        ObjectNode r = resource("Condition", null);
        r.putObject("clinicalStatus").putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/condition-clinical").put("code", "active");
        if (!rest.isEmpty()) {
            r.putObject("verificationStatus").putArray("coding").addObject()
                    .put("system", "http://terminology.hl7.org/CodeSystem/condition-ver-status").put("code", rest);
        }
        r.putObject("code").putArray("coding").addObject().put("system", "http://snomed.info/sct").put("code", code);
        r.putObject("subject").put("reference", "Patient/" + patient);
        r.put("onsetDateTime", when.toString());
        write("Condition", r);
    }

    private void transfer(String patient, Instant when) {
        ObjectNode r = resource("Encounter", null);
        r.put("status", "finished");
        r.putObject("class").put("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode").put("code", "IMP");
        r.putObject("subject").put("reference", "Patient/" + patient);
        ObjectNode period = r.putObject("period");
        period.put("start", when.minus(Duration.ofDays(2)).toString());
        period.put("end", when.toString());
        r.putObject("hospitalization").putObject("dischargeDisposition").putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/discharge-disposition").put("code", "other-hcf");
        write("Encounter", r);
    }

    private static void quantity(ObjectNode node, int value, String unit) {
        node.put("value", value);
        node.put("unit", switch (unit) {
            case "wk" -> "weeks";
            case "mo" -> "months";
            default -> "days";
        });
        node.put("system", "http://unitsofmeasure.org");
        node.put("code", unit);
    }

    private ObjectNode resource(String type, String id) {
        ObjectNode r = json.createObjectNode();
        r.put("resourceType", type);
        r.put("id", id == null ? type.toLowerCase() + "-" + (++counter) : id);
        return r;
    }

    private void write(String type, ObjectNode resource) {
        try {
            lines.computeIfAbsent(type, t -> new ArrayList<>()).add(json.writeValueAsString(resource));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant day(Instant day0, int offset) {
        return day0.plus(Duration.ofDays(offset));
    }
}
