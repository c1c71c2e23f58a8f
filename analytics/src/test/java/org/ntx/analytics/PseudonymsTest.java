package org.ntx.analytics;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The job's pseudonyms and day offsets against the shared fixtures in measures/ (README rows D1, D2), which the
 * server's DeidentifiedExportFixtureTest checks too: the two implementations agree because both equal the fixture.
 */
class PseudonymsTest {

    @Test
    void pseudonymsAreThoseOfTheSharedFixture() throws IOException {
        List<String[]> rows = rows(Path.of("../measures/pseudonyms.psv"));
        for (String[] row : rows) {
            assertEquals(row[2], new Pseudonyms(row[0]).pseudonym(row[1]), "salt " + row[0] + ", patient " + row[1]);
        }
    }

    @Test
    void withoutASaltPseudonymsCannotBeLinkedAcrossRuns() {
        assertNotEquals(new Pseudonyms("").pseudonym("123"), new Pseudonyms(null).pseudonym("123"));
    }

    @Test
    void dayOffsetsOfTheSqlAreThoseOfTheSharedFixture() throws IOException {
        for (String[] row : rows(Path.of("../measures/day-offsets.psv"))) {
            // The expression 60_patient_table.sql uses, on instants as 10_medication_records.sql reads them.
            Row result = SparkTestSession.get().sql("SELECT datediff(CAST(timestamp_seconds(unix_seconds("
                    + "CAST('" + row[1] + "' AS TIMESTAMP))) AS DATE), CAST(timestamp_seconds(unix_seconds(CAST('"
                    + row[0] + "' AS TIMESTAMP))) AS DATE))").first();
            assertEquals(Integer.parseInt(row[2]), result.getInt(0), row[0] + " to " + row[1]);
        }
    }

    @Test
    void proportionsOfDaysCoveredArePrintedAsTheServerPrintsThem() {
        assertEquals("0.038", Pseudonyms.pdcText(3.0 / 80));
        assertEquals("0.833", Pseudonyms.pdcText(150.0 / 180));
        assertEquals(null, Pseudonyms.pdcText(null));
    }

    static List<String[]> rows(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        return lines.subList(1, lines.size()).stream().map(l -> l.split("\\|", -1)).toList();
    }
}
