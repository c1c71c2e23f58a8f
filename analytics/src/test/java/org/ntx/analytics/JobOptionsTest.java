package org.ntx.analytics;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line and the SQL runner's small rules. */
class JobOptionsTest {

    static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");

    @Test
    void theStudyPeriodIncludesBothDaysAsTheServerReadsIt() {
        JobOptions options = JobOptions.parse(new String[] {"--input", "s3a://bucket/export", "--output",
                "hdfs://nn/results", "--start", "2024-01-01", "--end", "2024-12-31", "--as-of", "2026-11-01"}, NOW);
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), options.periodStart());
        assertEquals(Instant.parse("2025-01-01T00:00:00Z"), options.periodEnd());
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), options.asOf());
        assertEquals("s3a://bucket/export", options.input().orElseThrow());
        assertFalse(options.identified(), "de-identified unless asked");
    }

    @Test
    void exactlyOneSourceAndAnOutputAreRequired() {
        assertThrows(IllegalArgumentException.class, () -> JobOptions.parse(new String[] {"--output", "x"}, NOW));
        assertThrows(IllegalArgumentException.class, () -> JobOptions.parse(new String[] {"--input", "a",
                "--export-status-url", "http://127.0.0.1/x", "--output", "x"}, NOW));
        assertThrows(IllegalArgumentException.class, () -> JobOptions.parse(new String[] {"--input", "a"}, NOW));
        assertThrows(IllegalArgumentException.class, () -> JobOptions.parse(new String[] {"--input", "a",
                "--output", "x", "--start", "2024-13-01"}, NOW));
        assertThrows(IllegalArgumentException.class, () -> JobOptions.parse(new String[] {"--input", "a",
                "--output", "x", "--bogus"}, NOW));
    }

    @Test
    void sqlStatementsSplitAtLineEndSemicolonsAndUnknownParametersFail() {
        List<String> statements = SqlScripts.statements("-- a comment; not a statement\nSELECT 1;\nSELECT\n  2;\n");
        assertEquals(List.of("SELECT 1", "SELECT\n  2"), statements);
        assertEquals("SELECT 7", SqlScripts.substitute("SELECT ${grace_days}", Map.of("grace_days", "7"), "f"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SqlScripts.substitute("SELECT ${nope}", Map.of(), "f.sql"));
        assertTrue(e.getMessage().contains("nope"));
    }

    @Test
    void everyParameterTheScriptsUseIsDefined() {
        Map<String, String> parameters = StudyDefinitions.defaults().parameters(JobOptions.parse(
                new String[] {"--input", "a", "--output", "b"}, NOW));
        for (String file : SqlScripts.FILES) {
            for (String statement : SqlScripts.statements(SqlScripts.read("sql/" + file))) {
                SqlScripts.substitute(statement, parameters, file);
            }
        }
    }
}
