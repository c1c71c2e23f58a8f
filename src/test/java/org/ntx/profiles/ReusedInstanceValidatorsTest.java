package org.ntx.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.UriType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reusing HL7 instance validators must not change a single message: every example in the package (valid and
 * invalid), validated several times by the same reused validators and from several threads at once, gives exactly
 * what HAPI's own FhirInstanceValidator (a new validator per resource) gives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReusedInstanceValidatorsTest {

    final FhirContext fhirContext = FhirContext.forR4();
    final ProfileValidator reference = ProfileValidator.withHapiInstanceValidator(fhirContext);
    final ProfileValidator reused = ProfileValidator.build(fhirContext);

    @Test
    void givesHapisMessagesForEveryExampleEveryTime() throws IOException {
        List<IBaseResource> examples = examples();
        assertThat(examples).hasSizeGreaterThan(20);
        for (int round = 0; round < 3; round++) {
            for (IBaseResource example : examples) {
                assertThat(messages(reused.validate(example)))
                        .as("round %d, %s", round, example.getIdElement().getIdPart())
                        .isEqualTo(messages(reference.validate(example)));
            }
        }
    }

    @Test
    void concurrentValidationsDoNotMixResults() throws Exception {
        List<IBaseResource> examples = examples();
        List<List<String>> expected = new ArrayList<>();
        for (IBaseResource example : examples) {
            expected.add(messages(reference.validate(example)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < examples.size() * 4; i++) {
                IBaseResource example = examples.get(i % examples.size());
                results.add(pool.submit(() -> messages(reused.validate(example))));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).as("call %d", i).isEqualTo(expected.get(i % examples.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aValidatorIsRetiredAfterItsQuotaOfValidations() {
        IValidationSupport support = fhirContext.getValidationSupport();
        ReusedInstanceValidators module = new ReusedInstanceValidators(support);
        FhirValidator validator = fhirContext.newValidator().registerValidatorModule(module);
        MedicationAdministration resource = new MedicationAdministration();
        resource.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        int validations = ReusedInstanceValidators.MAX_USES * 2 + 1;
        for (int i = 0; i < validations; i++) {
            validator.validateWithResult(resource);
        }
        // One thread: one validator at a time, replaced after every MAX_USES validations.
        assertThat(module.validatorsBuilt()).isEqualTo(3);
    }

    @Test
    void warnsAboutARetiredExtensionForEveryResourceNotOnlyTheFirst() {
        StructureDefinition retired = new StructureDefinition();
        retired.setUrl("https://ntx.example.org/fhir/StructureDefinition/test-retired-extension");
        retired.setName("TestRetiredExtension");
        retired.setStatus(Enumerations.PublicationStatus.RETIRED);
        retired.setKind(StructureDefinition.StructureDefinitionKind.COMPLEXTYPE);
        retired.setAbstract(false);
        retired.setType("Extension");
        retired.setBaseDefinition("http://hl7.org/fhir/StructureDefinition/Extension");
        retired.setDerivation(StructureDefinition.TypeDerivationRule.CONSTRAINT);
        retired.addContext().setType(StructureDefinition.ExtensionContextType.ELEMENT).setExpression("Patient");
        retired.getDifferential().addElement().setPath("Extension.url")
                .setFixed(new UriType(retired.getUrl()));
        retired.getDifferential().addElement().setPath("Extension.value[x]")
                .addType().setCode("string");
        PrePopulatedValidationSupport definitions = new PrePopulatedValidationSupport(fhirContext);
        definitions.addStructureDefinition(retired);
        ValidationSupportChain chain = new ValidationSupportChain(definitions,
                new DefaultProfileValidationSupport(fhirContext), new InMemoryTerminologyServerValidationSupport(fhirContext),
                new CommonCodeSystemsTerminologyService(fhirContext), new SnapshotGeneratingValidationSupport(fhirContext));
        FhirValidator validator = fhirContext.newValidator().registerValidatorModule(new ReusedInstanceValidators(chain));
        Patient patient = new Patient();
        patient.addExtension(retired.getUrl(), new StringType("x"));

        for (int i = 0; i < 3; i++) {
            assertThat(messages(validator.validateWithResult(patient)))
                    .as("validation %d", i).anyMatch(m -> m.contains(retired.getUrl()) && m.contains("retired"));
        }
    }

    private List<IBaseResource> examples() throws IOException {
        List<IBaseResource> all = new ArrayList<>();
        for (String folder : List.of("example", "invalid")) {
            try (Stream<Path> files = Files.list(ProfileExamplesTest.PACKAGE.resolve(folder))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json"))
                        .filter(f -> !f.getFileName().toString().equals("expected-errors.json")).sorted().toList()) {
                    all.add(fhirContext.newJsonParser().parseResource(Files.readString(file)));
                }
            }
        }
        return all;
    }

    /** Every message with its severity, location and id, in order. */
    private static List<String> messages(ValidationResult result) {
        return result.getMessages().stream().map(ReusedInstanceValidatorsTest::describe).toList();
    }

    private static String describe(SingleValidationMessage m) {
        return m.getSeverity() + " " + m.getLocationString() + " [" + m.getMessageId() + "] " + m.getMessage();
    }
}
