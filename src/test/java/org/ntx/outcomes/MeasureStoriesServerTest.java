package org.ntx.outcomes;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.ntx.measures.StoryExport;
import org.ntx.record.TimelineMapper;
import org.ntx.rules.Thresholds;
import org.ntx.terminology.Terminology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every story of measures/stories.csv through the server's reading of the record: the same FHIR resources the Spark
 * job's MeasureStoriesTest reads (StoryExport, shared by both builds), parsed by HAPI, mapped by the CDS services'
 * TimelineMapper, measured by TreatmentCourse with the follow-up OutcomeStudy reads (death, transfers out, birth
 * date). Each story's expected per-patient values are compared with {@link PatientColumns}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeasureStoriesServerTest {

    @TempDir
    static Path work;

    List<StoryExport.Story> stories;
    final Map<String, Map<String, String>> rows = new HashMap<>();

    @BeforeAll
    void measureEveryStory() throws IOException {
        stories = StoryExport.read(Path.of("measures/stories.csv"));
        StoryExport export = new StoryExport();
        stories.forEach(export::add);
        export.writeTo(work);

        IParser parser = FhirContext.forR4Cached().newJsonParser();
        Map<String, List<Resource>> records = new LinkedHashMap<>();
        Map<String, Patient> patients = new HashMap<>();
        Map<String, List<Encounter>> encounters = new HashMap<>();
        Map<String, org.hl7.fhir.r4.model.Medication> medications = new HashMap<>();
        try (Stream<Path> files = Files.list(work)) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Resource resource = (Resource) parser.parseResource(line);
                    if (resource instanceof org.hl7.fhir.r4.model.Medication medication) {
                        medications.put("Medication/" + medication.getIdElement().getIdPart(), medication);
                    } else if (resource instanceof Patient patient) {
                        patients.put(patient.getIdElement().getIdPart(), patient);
                    } else if (resource instanceof Encounter encounter) {
                        encounters.computeIfAbsent(id(encounter.getSubject()), k -> new ArrayList<>()).add(encounter);
                    } else {
                        Reference subject = (Reference) resource.getNamedProperty("subject").getValues().get(0);
                        records.computeIfAbsent(id(subject), k -> new ArrayList<>()).add(resource);
                    }
                }
            }
        }
        Terminology terminology = Terminology.fromClasspath();
        TimelineMapper mapper = new TimelineMapper(terminology.medications(), terminology.labs(),
                terminology.conditions());
        TreatmentCourse course = new TreatmentCourse(OutcomeDefinitions.defaults(), Thresholds.defaults());
        records.forEach((patientId, resources) -> {
            Patient patient = patients.get(patientId);
            FollowUpRecord followUp = new FollowUpRecord(
                    patient.hasDeceasedDateTimeType()
                            ? Optional.of(patient.getDeceasedDateTimeType().getValue().toInstant()) : Optional.empty(),
                    encounters.getOrDefault(patientId, List.of()).stream()
                            .flatMap(e -> OutcomeStudy.transferOut(e).stream()).toList(),
                    Optional.of(LocalDate.parse(patient.getBirthDateElement().getValueAsString())));
            course.outcome(mapper.timeline(patientId, resources, EnumSet.noneOf(org.ntx.timeline.DataKind.class),
                            reference -> Optional.ofNullable(medications.get(reference))), followUp, StoryExport.AS_OF)
                    .ifPresent(outcome -> rows.put(patientId, PatientColumns.of(outcome)));
        });
    }

    @TestFactory
    Stream<DynamicTest> everyStoryGivesItsExpectedValues() {
        return stories.stream().map(story -> DynamicTest.dynamicTest(story.number() + ": " + story.name(), () -> {
            Map<String, String> row = rows.get(story.patientId());
            for (Map.Entry<String, String> expected : story.expected().entrySet()) {
                if (expected.getKey().equals("in_cohort")) {
                    assertThat(row != null).as("in the cohort").isEqualTo(expected.getValue().equals("1"));
                    continue;
                }
                assertThat(row).as("in the cohort; expected %s", story.expected()).isNotNull();
                assertThat(row).as("column").containsKey(expected.getKey());
                assertThat(row.get(expected.getKey())).as(expected.getKey()).isEqualTo(expected.getValue());
            }
        }));
    }

    private static String id(Reference subject) {
        String reference = subject.getReference();
        return reference.substring(reference.lastIndexOf('/') + 1);
    }
}
