package org.ntx.analytics;

import org.junit.jupiter.api.BeforeAll;
import org.ntx.measures.StoryExport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every story of measures/stories.csv through the whole job (views, SQL, per-patient table), one patient per story,
 * all in one export and one run; then each story's expected per-patient values are compared with the job's row.
 * The table is the definition (measures/README.md); this test holds the Spark SQL to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeasureStoriesTest {

    static final Path STORIES = Path.of("../measures/stories.csv");

    @TempDir
    static Path work;

    List<StoryExport.Story> stories;
    Map<String, Map<String, String>> rows;
    Map<String, String> definitions;

    @BeforeAll
    void runTheJobOnEveryStory() throws IOException {
        stories = StoryExport.read(STORIES);
        StoryExport export = new StoryExport();
        stories.forEach(export::add);
        export.writeTo(work.resolve("export"));
        JobOptions options = JobOptions.parse(new String[] {"--input", work.resolve("export").toString(),
                "--output", work.resolve("out").toString(), "--as-of", StoryExport.AS_OF.toString(), "--identified",
                "--no-plots"}, StoryExport.AS_OF);
        OutcomeJob.run(SparkTestSession.get(), options, Map.of("NTX_OUTCOMES_PSEUDONYM_SALT", "story-salt"));
        System.out.println(Files.readString(work.resolve("out/run-summary.json")));
        rows = readCsv(work.resolve("out/patients.csv"), "patient_id");
        definitions = definitionIds();
    }

    @TestFactory
    Stream<DynamicTest> everyStoryGivesItsExpectedValues() {
        return stories.stream().map(story -> DynamicTest.dynamicTest(story.number() + ": " + story.name(), () -> {
            Map<String, String> row = rows.get(story.patientId());
            for (Map.Entry<String, String> expected : story.expected().entrySet()) {
                if (expected.getKey().equals("in_cohort")) {
                    assertEquals(expected.getValue().equals("1"), row != null, "in the cohort");
                    continue;
                }
                if (row == null) {
                    fail("not in the cohort; expected " + story.expected());
                }
                assertTrue(row.containsKey(expected.getKey()), "no column " + expected.getKey());
                assertEquals(expected.getValue(), row.get(expected.getKey()), expected.getKey());
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyDefinitionHasAStoryAndEveryStoryNamesDefinitions() throws IOException {
        List<String> lines = Files.readAllLines(STORIES, StandardCharsets.UTF_8);
        Map<String, Integer> used = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] ids = line.split(",", -1)[1].trim().split("\\s+");
            assertFalse(ids.length == 0 || ids[0].isEmpty(), "a story without definitions: " + line);
            for (String id : ids) {
                assertTrue(definitions.containsKey(id), "story names an unknown definition " + id + ": " + line);
                used.merge(id, 1, Integer::sum);
            }
        }
        // Checked by other tests: S5 (survival estimates: AmlSurvivalTest, EndToEndTest), D1/D2 (PseudonymsTest),
        // R2 (times: every story), C2 (every story's formulation).
        List<String> elsewhere = List.of("S5", "D1", "D2", "R2", "C2");
        return definitions.keySet().stream().filter(id -> !elsewhere.contains(id))
                .map(id -> DynamicTest.dynamicTest(id + " has a story", () ->
                        assertTrue(used.containsKey(id), "no story in stories.csv checks definition " + id)));
    }

    /** The Ids of the definition table's rows (measures/README.md). */
    static Map<String, String> definitionIds() throws IOException {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("../measures/README.md"), StandardCharsets.UTF_8)) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\| ([A-Z]\\d+) \\|(.*)").matcher(line);
            if (m.find()) {
                ids.put(m.group(1), m.group(2));
            }
        }
        return ids;
    }

    /** A CSV that Spark wrote (a folder with one part file), keyed by one column. */
    static Map<String, Map<String, String>> readCsv(Path folder, String key) throws IOException {
        Path part;
        try (Stream<Path> files = Files.list(folder)) {
            part = files.filter(p -> p.getFileName().toString().startsWith("part-")
                    && p.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",", -1);
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.put(row.get(key), row);
        }
        return rows;
    }
}
