package org.ntx.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example in the FHIR package is validated with HAPI's validator against the profile it claims: the valid
 * ones without a single error, each invalid one with the error recorded for it in invalid/expected-errors.json.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProfileExamplesTest {

    static final Path PACKAGE = Path.of("fhir-profiles");

    final FhirContext fhirContext = FhirContext.forR4();
    final ProfileValidator validator = ProfileValidator.build(fhirContext);

    @TestFactory
    Stream<DynamicTest> validExamplesConformToTheirProfiles() throws IOException {
        return jsonFiles(PACKAGE.resolve("example")).map(file -> DynamicTest.dynamicTest(name(file), () -> {
            IBaseResource example = parse(file);
            assertThat(example.getMeta().getProfile()).as("claims one of our profiles").isNotEmpty();
            assertThat(errors(validator.validate(example))).as(name(file)).isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidExamplesFailForTheirRecordedReason() throws IOException {
        ExpectedErrors expected = ExpectedErrors.load(PACKAGE.resolve("invalid"));
        return jsonFiles(PACKAGE.resolve("invalid")).map(file -> DynamicTest.dynamicTest(name(file), () -> {
            List<String> errors = errors(validator.validate(parse(file)));
            assertThat(errors).as(name(file) + " must fail").isNotEmpty();
            assertThat(String.join("\n", errors)).contains(expected.messageFor(file));
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyInvalidExampleHasARecordedError() throws IOException {
        ExpectedErrors expected = ExpectedErrors.load(PACKAGE.resolve("invalid"));
        return jsonFiles(PACKAGE.resolve("invalid")).map(file -> DynamicTest.dynamicTest(name(file),
                () -> assertThat(expected.covers(file)).isTrue()));
    }

    private static List<String> errors(ValidationResult result) {
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(m -> m.getLocationString() + ": " + m.getMessage())
                .collect(Collectors.toList());
    }

    private IBaseResource parse(Path file) throws IOException {
        return fhirContext.newJsonParser().parseResource(Files.readString(file));
    }

    private static Stream<Path> jsonFiles(Path dir) throws IOException {
        return Files.list(dir).filter(f -> f.toString().endsWith(".json"))
                .filter(f -> !f.getFileName().toString().equals("expected-errors.json")).sorted();
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }
}
