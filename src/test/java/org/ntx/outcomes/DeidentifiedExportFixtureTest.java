package org.ntx.outcomes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's de-identified export against the shared fixtures in measures/ (README rows D1, D2): the analytics job's
 * PseudonymsTest checks its own implementation against the same files, so a patient has one pseudonym and one set of
 * day offsets whichever of the two wrote the table.
 */
class DeidentifiedExportFixtureTest {

    @Test
    void pseudonymsAreThoseOfTheSharedFixture() throws IOException {
        List<String[]> rows = rows(Path.of("measures/pseudonyms.psv"));
        assertThat(rows).hasSizeGreaterThan(3);
        for (String[] row : rows) {
            assertThat(new DeidentifiedExport(row[0]).pseudonym(row[1])).as("salt %s, patient %s", row[0], row[1])
                    .isEqualTo(row[2]);
        }
    }

    @Test
    void dayOffsetsAreThoseOfTheSharedFixture() throws IOException {
        for (String[] row : rows(Path.of("measures/day-offsets.psv"))) {
            Instant start = Instant.parse(row[0]);
            PatientOutcome outcome = new PatientOutcome("p", start, PatientOutcome.Formulation.ORAL,
                    PatientOutcome.Indication.OUD, start, Map.of(), 0, 0, List.of(), Optional.empty(),
                    Optional.of(Instant.parse(row[1])), 0, Optional.empty(), Optional.empty(), 0, 0,
                    new CourseTimes(start, CourseTimes.FollowUpEnd.END_OF_STUDY, java.time.Duration.ofDays(7), false,
                            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
            String relapseSignalDay = new DeidentifiedExport("salt").row(outcome).split(",")[10];
            assertThat(relapseSignalDay).as("%s to %s", row[0], row[1]).isEqualTo(row[2]);
        }
    }

    static List<String[]> rows(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        return lines.subList(1, lines.size()).stream().map(l -> l.split("\\|", -1)).toList();
    }
}
