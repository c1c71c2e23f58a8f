package org.ntx.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole job, de-identified as by default, on the synthetic cohort exported as Bulk Data ndjson
 * (src/test/resources/synthetic-export: what org.ntx.cohort.SyntheticCohort writes, 120 patients, seed 42, kept equal
 * by the server's SyntheticCohortExportTest).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {

    static final Path EXPORT = Path.of("src/test/resources/synthetic-export");
    static final String SALT = "end-to-end-salt";

    @TempDir
    static Path work;

    Path out;
    OutcomeJob.Summary summary;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void runTheJob() {
        out = work.resolve("results");
        JobOptions options = JobOptions.parse(new String[] {"--input", EXPORT.toString(), "--output", out.toString(),
                "--as-of", "2026-11-01"}, java.time.Instant.parse("2026-11-01T00:00:00Z"));
        summary = OutcomeJob.run(SparkTestSession.get(), options, Map.of("NTX_OUTCOMES_PSEUDONYM_SALT", SALT));
    }

    @Test
    void everySyntheticPatientIsInTheCohortAndEveryRowIsAttributed() throws IOException {
        assertEquals(120, summary.patients());
        summary.views().forEach((view, counts) -> assertEquals(0, counts.unattributed(), view));
        assertEquals(120, summary.views().get("patients").rows());
        JsonNode run = json.readTree(out.resolve("run-summary.json").toFile());
        // The clinical records are read with the server's own code (RecordInterpretation), one line per record.
        long clinicalLines = 0;
        for (String type : RecordInterpretation.TYPES) {
            Path file = EXPORT.resolve(type + ".ndjson");
            if (Files.exists(file)) {
                clinicalLines += Files.readAllLines(file).stream().filter(line -> !line.isBlank()).count();
            }
        }
        assertEquals(clinicalLines, run.at("/clinicalRecords/rows").asLong(), "every clinical record is read");
        assertEquals(0, run.at("/clinicalRecords/rowsWithoutPatient").asLong());
        assertTrue(run.get("deidentified").asBoolean());
        assertEquals("2026-11-01T00:00:00Z", run.get("asOf").asText());
    }

    @Test
    void theMeasureReportHasTheServersShape() throws IOException {
        JsonNode report = json.readTree(out.resolve("measure-report.json").toFile());
        assertEquals("MeasureReport", report.get("resourceType").asText());
        assertEquals("summary", report.get("type").asText());
        assertEquals("https://ntx.example.org/fhir/Measure/naltrexone-outcomes", report.get("measure").asText());
        List<String> codes = new ArrayList<>();
        for (JsonNode group : report.get("group")) {
            codes.add(group.at("/code/coding/0/code").asText());
        }
        assertEquals(List.of("retention-30", "retention-90", "retention-180", "injection-on-time",
                "oral-pdc-adherent", "relapse-signal", "opioid-order-during-blockade", "liver-elevation",
                "overdose-event", "induction-30", "continuity-180", "oral-pdc-mean", "retention-curve",
                "injection-interval-days"), codes);
        for (JsonNode group : report.get("group")) {
            String code = group.at("/code/coding/0/code").asText();
            if (code.equals("oral-pdc-mean") || code.equals("injection-interval-days")) {
                continue;
            }
            if (code.equals("retention-curve")) {
                assertDailyCurve(group);
                continue;
            }
            assertEquals(120, count(group.get("population"), "initial-population"), code);
            long denominator = count(group.get("population"), "denominator");
            long numerator = count(group.get("population"), "numerator");
            assertTrue(numerator <= denominator, code);
            if (denominator > 0) {
                assertEquals((double) numerator / denominator, group.at("/measureScore/value").asDouble(), 1e-12, code);
            }
            for (JsonNode stratifier : group.get("stratifier")) {
                long patients = 0;
                long strataNumerators = 0;
                for (JsonNode stratum : stratifier.get("stratum")) {
                    patients += count(stratum.get("population"), "initial-population");
                    strataNumerators += count(stratum.get("population"), "numerator");
                }
                assertEquals(120, patients, code + " strata cover the cohort");
                assertEquals(numerator, strataNumerators, code + " strata add up");
            }
        }
        JsonNode retention30 = report.get("group").get(0);
        assertTrue(retention30.at("/measureScore/value").asDouble() > 0.5, "most synthetic courses reach day 30");
    }

    @Test
    void perPatientOutputCarriesPseudonymsAndDayOffsetsOnly() throws IOException {
        Map<String, Map<String, String>> rows = MeasureStoriesTest.readCsv(out.resolve("patients.csv"), "pseudonym");
        assertEquals(120, rows.size());
        assertFalse(rows.values().iterator().next().containsKey("patient_id"));
        Set<String> expected = new HashSet<>();
        Pseudonyms pseudonyms = new Pseudonyms(SALT);
        for (String id : patientIds()) {
            expected.add(pseudonyms.pseudonym(id));
        }
        assertEquals(expected, rows.keySet(), "the pseudonyms the server's export would give these patients");
        String written = readAll(out);
        for (String id : patientIds()) {
            assertFalse(written.contains(id), "a FHIR id left the job: " + id);
        }
        assertFalse(Pattern.compile("\\d{4}-\\d{2}-\\d{2}").matcher(readAll(out.resolve("patients.csv"))).find(),
                "no dates in the per-patient table");
        assertFalse(written.contains("Synthetic-"), "no names");
    }

    @Test
    void survivalTablesAndPlotsAgree() throws IOException {
        Path survival = out.resolve("survival");
        for (String analysis : List.of("retention", "induction", "relapse-free")) {
            for (String suffix : List.of("-curves.csv", "-summary.csv", "-logrank.csv", "-by-all.svg",
                    "-by-formulation.svg", "-by-formulation.txt", "-by-indication.svg")) {
                assertTrue(Files.size(survival.resolve(analysis + suffix)) > 0, analysis + suffix);
            }
        }
        List<String> logRank = Files.readAllLines(survival.resolve("retention-logrank.csv"));
        assertEquals("stratifier,stratum,patients,observed,expected,chi_square,df,p_value", logRank.get(0));
        assertTrue(logRank.stream().anyMatch(l -> l.startsWith("formulation,oral,")));
        assertTrue(logRank.stream().anyMatch(l -> l.startsWith("formulation,injection,")));

        // The plot's numbers at risk are the summary's.
        List<String> summaryRows = Files.readAllLines(survival.resolve("retention-summary.csv"));
        String[] header = summaryRows.get(0).split(",");
        String svg = Files.readString(survival.resolve("retention-by-formulation.svg"));
        for (String row : summaryRows.subList(1, summaryRows.size())) {
            String[] cells = row.split(",");
            if (!cells[0].equals("formulation")) {
                continue;
            }
            int column = List.of(header).indexOf("at_risk_90");
            assertTrue(svg.contains(">" + cells[column] + "</text>"), "at risk at day 90 for " + cells[1]);
        }
        assertTrue(svg.contains("#0072B2") && svg.contains("#D55E00"), "Okabe-Ito colours");
        assertTrue(svg.contains("class=\"band\"") && svg.contains("class=\"censored\""), "bands and censoring ticks");
        Matcher desc = Pattern.compile("<desc id=\"desc\">(.*?)</desc>", Pattern.DOTALL).matcher(svg);
        assertTrue(desc.find() && desc.group(1).contains("median"), "a text alternative inside the SVG");
        String caption = Files.readString(survival.resolve("retention-by-formulation.txt"));
        assertTrue(caption.contains("oral: ") && caption.contains("injection: ") && caption.contains("Log-rank"));
    }

    @Test
    void anExportWhoseSubjectsAreNotPatientReferencesFailsLoudly() throws IOException {
        Path export = work.resolve("urn-uuid-export");
        Files.createDirectories(export);
        Files.writeString(export.resolve("MedicationAdministration.ndjson"), "{\"resourceType\":\"MedicationAdministration\","
                + "\"id\":\"a1\",\"status\":\"completed\",\"subject\":{\"reference\":\"urn:uuid:0c1d\"},"
                + "\"medicationCodeableConcept\":{\"coding\":[{\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\","
                + "\"code\":\"637213\"}]},\"effectiveDateTime\":\"2026-01-01T10:00:00Z\"}\n");
        JobOptions options = JobOptions.parse(new String[] {"--input", export.toString(), "--output",
                work.resolve("urn-out").toString(), "--as-of", "2026-11-01", "--no-plots"},
                java.time.Instant.parse("2026-11-01T00:00:00Z"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OutcomeJob.run(SparkTestSession.get(), options, Map.of()));
        assertTrue(e.getMessage().contains("Patient/<id>"), e.getMessage());
    }

    /**
     * The daily retention curve (the server's group {@code retention-curve}): one stratifier per formulation, one
     * stratum per day from 0; on each day the retained are among those followed, and neither grows with the day.
     */
    private static void assertDailyCurve(JsonNode group) {
        List<String> formulations = new ArrayList<>();
        for (JsonNode stratifier : group.get("stratifier")) {
            formulations.add(stratifier.at("/code/0/text").asText());
            long previousAtRisk = Long.MAX_VALUE;
            long previousRetained = Long.MAX_VALUE;
            int day = 0;
            for (JsonNode stratum : stratifier.get("stratum")) {
                assertEquals(Integer.toString(day++), stratum.at("/value/text").asText());
                long atRisk = count(stratum.get("population"), "denominator");
                long retained = count(stratum.get("population"), "numerator");
                assertTrue(retained <= atRisk, "day " + day);
                assertTrue(atRisk <= previousAtRisk && retained <= previousRetained, "day " + day);
                previousAtRisk = atRisk;
                previousRetained = retained;
            }
            assertTrue(day > 30, "the curve covers the follow-up, not four points");
        }
        assertEquals(List.of("oral", "injection"), formulations);
    }

    private static long count(JsonNode populations, String code) {
        for (JsonNode population : populations) {
            if (population.at("/code/coding/0/code").asText().equals(code)) {
                return population.get("count").asLong();
            }
        }
        throw new AssertionError("no population " + code);
    }

    private List<String> patientIds() throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(EXPORT.resolve("Patient.ndjson"), StandardCharsets.UTF_8)) {
            ids.add(json.readTree(line).get("id").asText());
        }
        return ids;
    }

    /** Every text file the job wrote (Parquet is binary and holds the same columns as the CSV). */
    private static String readAll(Path folder) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".csv") || name.endsWith(".json") || name.endsWith(".svg") || name.endsWith(".txt")) {
                    all.append(Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        }
        return all.toString();
    }
}
