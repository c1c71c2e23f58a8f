package org.ntx.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The FHIR package on a running server (PostgreSQL): installed at start-up and readable over REST, its value sets
 * expandable offline, and its profiles enforced on write for resources that claim them.
 */
@IntegrationTest
class ProfilesIT {

    static final Path PACKAGE = Path.of("fhir-profiles");

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    IGenericClient client;

    @BeforeEach
    void connect() {
        client = FhirTestClient.forPort(fhirContext, port);
    }

    @Test
    void servesThePackagesConformanceResources() {
        Bundle profiles = client.search().forResource(StructureDefinition.class)
                .where(StructureDefinition.URL.matches().value(Canonicals.STRUCTURE_DEFINITION_BASE + "ntx-medicationrequest"))
                .returnBundle(Bundle.class).execute();
        assertThat(profiles.getEntry()).hasSize(1);

        Bundle codeSystems = client.search().forResource(CodeSystem.class)
                .where(CodeSystem.URL.matches().value(Canonicals.CODE_SYSTEM))
                .returnBundle(Bundle.class).execute();
        assertThat(codeSystems.getEntry()).hasSize(1);
    }

    @Test
    void storesAResourceClaimingAnUnknownProfileAndSaysItWasNotValidatedAgainstIt() throws Exception {
        String usCore = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient";
        java.net.http.HttpResponse<String> created = post("/fhir/Patient", "{\"resourceType\":\"Patient\","
                + "\"meta\":{\"profile\":[\"" + usCore + "\"]},\"name\":[{\"family\":\"Claimant\"}]}");
        assertThat(created.statusCode()).isEqualTo(201);
        OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, created.body());
        assertThat(outcome.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.WARNING);
            assertThat(issue.getDiagnostics()).contains(usCore, "without being validated against it");
            assertThat(issue.getExpression().get(0).getValue()).isEqualTo("Patient.meta.profile[0]");
        });
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("/Patient/");

        // A core R4 profile is known: no warning, the resource comes back as usual.
        java.net.http.HttpResponse<String> core = post("/fhir/Observation", "{\"resourceType\":\"Observation\","
                + "\"meta\":{\"profile\":[\"http://hl7.org/fhir/StructureDefinition/vitalsigns\"]},"
                + "\"status\":\"final\",\"code\":{\"text\":\"heart rate\"}}");
        assertThat(core.statusCode()).isEqualTo(201);
        assertThat(core.body()).contains("\"resourceType\":\"Observation\"");

        // In a transaction the warning is the entry's outcome.
        java.net.http.HttpResponse<String> transaction = post("/fhir", "{\"resourceType\":\"Bundle\",\"type\":"
                + "\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"meta\":{\"profile\":[\""
                + usCore + "\"]}},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},{\"resource\":{"
                + "\"resourceType\":\"Patient\"},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}");
        assertThat(transaction.statusCode()).isEqualTo(200);
        Bundle response = fhirContext.newJsonParser().parseResource(Bundle.class, transaction.body());
        // HAPI puts its own "Successfully created" issue there; the warning is added to it.
        assertThat(((OperationOutcome) response.getEntry().get(0).getResponse().getOutcome()).getIssue())
                .anyMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING
                        && issue.getDiagnostics().contains(usCore));
        OperationOutcome plain = (OperationOutcome) response.getEntry().get(1).getResponse().getOutcome();
        assertThat(plain == null ? List.<OperationOutcome.OperationOutcomeIssueComponent>of() : plain.getIssue())
                .noneMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING);
    }

    private java.net.http.HttpResponse<String> post(String path, String body) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @TestFactory
    Stream<DynamicTest> expandsEveryShippedValueSetToExactlyTheCodesItEnumerates() {
        return NaltrexonePackage.fromClasspath().valueSetCodes().entrySet().stream()
                .map(valueSet -> DynamicTest.dynamicTest(valueSet.getKey(), () -> {
                    ValueSet expansion = client.operation().onType(ValueSet.class).named("$expand")
                            .withParameter(Parameters.class, "url", new UriType(valueSet.getKey()))
                            .returnResourceType(ValueSet.class).execute();
                    assertThat(expansion.getExpansion().getContains().stream()
                            .map(c -> c.getSystem() + "|" + c.getCode()).toList())
                            .containsExactlyInAnyOrderElementsOf(valueSet.getValue());
                }));
    }

    @Test
    void expandsTheOpioidAgonistValueSetWithInjectableMorphineButWithoutMorphineNaltrexone() {
        ValueSet expansion = client.operation().onType(ValueSet.class).named("$expand")
                .withParameter(Parameters.class, "url", new UriType(Canonicals.BASE + "/ValueSet/opioid-agonists"))
                .returnResourceType(ValueSet.class).execute();
        assertThat(expansion.getExpansion().getContains())
                .anyMatch(c -> c.getCode().equals("1732136"))
                .noneMatch(c -> c.getCode().equals("863845"));
    }

    @Test
    void validatesCodesAgainstTheNaltrexoneProductsValueSet() {
        assertThat(validateCode("1483744")).isTrue();
        assertThat(validateCode("863845")).isFalse();
    }

    @Test
    void acceptsAPlainR4MedicationRequestThatClaimsNoProfile() {
        MedicationRequest plain = new MedicationRequest();
        plain.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        plain.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        plain.setSubject(new Reference("Patient/plain-1"));
        plain.setMedication(new CodeableConcept().addCoding(new Coding(
                "http://www.nlm.nih.gov/research/umls/rxnorm", "1483744", null)));
        assertThat(client.create().resource(plain).execute().getCreated()).isTrue();
    }

    @Test
    void validateOperationChecksAResourceAgainstANamedProfile() throws Exception {
        Resource invalid = parse(PACKAGE.resolve("invalid/mr-oral-without-supply-duration.json"));
        invalid.getMeta().getProfile().clear();
        OperationOutcome failed = validate(invalid, "ntx-medicationrequest");
        assertThat(failed.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getDiagnostics()).contains("ntx-mr-1");
        });

        Resource valid = parse(PACKAGE.resolve("example/MedicationRequest-ntx-mr-oral.json"));
        valid.getMeta().getProfile().clear();
        assertThat(validate(valid, "ntx-medicationrequest").getIssue())
                .noneMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR);
    }

    /** {@code POST [type]/$validate?profile=...} with the resource as the body. */
    private OperationOutcome validate(Resource resource, String profileId) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(FhirTestClient.baseUrl(port) + "/"
                                + resource.fhirType() + "/$validate?profile="
                                + Canonicals.STRUCTURE_DEFINITION_BASE + profileId))
                        .header("Content-Type", "application/fhir+json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                fhirContext.newJsonParser().encodeResourceToString(resource))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isBetween(200, 499);
        return (OperationOutcome) fhirContext.newJsonParser().parseResource(response.body());
    }

    @TestFactory
    Stream<DynamicTest> storesEveryValidExample() throws IOException {
        return files(PACKAGE.resolve("example")).map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                () -> {
                    Resource example = parse(file);
                    example.setId((String) null);
                    assertThat(client.create().resource(example).execute().getCreated()).isTrue();
                }));
    }

    @TestFactory
    Stream<DynamicTest> refusesEveryInvalidExampleWith422() throws IOException {
        ExpectedErrors expected = ExpectedErrors.load(PACKAGE.resolve("invalid"));
        return files(PACKAGE.resolve("invalid")).filter(expected::covers)
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                    Resource example = parse(file);
                    example.setId((String) null);
                    assertThatThrownBy(() -> client.create().resource(example).execute())
                            .isInstanceOfSatisfying(UnprocessableEntityException.class, e ->
                                    assertThat(fhirContext.newJsonParser().encodeResourceToString(
                                            e.getOperationOutcome())).contains(expected.messageFor(file)));
                }));
    }

    /**
     * The same invalid examples, each in a transaction beside a valid example of its type: the whole transaction is
     * refused with the example's own error, and nothing of it is stored.
     */
    @TestFactory
    Stream<DynamicTest> refusesATransactionHoldingAnInvalidExampleAndStoresNothing() throws IOException {
        ExpectedErrors expected = ExpectedErrors.load(PACKAGE.resolve("invalid"));
        List<Resource> valid = files(PACKAGE.resolve("example")).map(this::parse).toList();
        return files(PACKAGE.resolve("invalid")).filter(expected::covers)
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                    Resource invalid = parse(file);
                    Resource companion = valid.stream().filter(r -> r.fhirType().equals(invalid.fhirType()))
                            .findFirst().orElseThrow().copy();
                    String tag = UUID.randomUUID().toString();
                    Bundle transaction = transactionOf(tag, companion, invalid);
                    assertThatThrownBy(() -> client.transaction().withBundle(transaction).execute())
                            .isInstanceOfSatisfying(UnprocessableEntityException.class, e ->
                                    assertThat(fhirContext.newJsonParser().encodeResourceToString(
                                            e.getOperationOutcome())).contains(expected.messageFor(file)));
                    Bundle stored = client.search().forResource(invalid.fhirType())
                            .withTag("urn:ntx:test", tag).returnBundle(Bundle.class).execute();
                    assertThat(stored.getEntry()).isEmpty();
                }));
    }

    @Test
    void storesATransactionOfEveryValidExample() throws IOException {
        String tag = UUID.randomUUID().toString();
        Resource[] examples = files(PACKAGE.resolve("example")).map(this::parse).toArray(Resource[]::new);
        Bundle response = client.transaction().withBundle(transactionOf(tag, examples)).execute();
        assertThat(response.getEntry()).hasSize(examples.length)
                .allSatisfy(entry -> assertThat(entry.getResponse().getStatus()).startsWith("201"));
    }

    private static Bundle transactionOf(String tag, Resource... resources) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource resource : resources) {
            resource.setId((String) null);
            resource.getMeta().addTag("urn:ntx:test", tag, null);
            transaction.addEntry().setResource(resource).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
        }
        return transaction;
    }

    private boolean validateCode(String code) {
        Parameters out = client.operation().onType(ValueSet.class).named("$validate-code")
                .withParameter(Parameters.class, "url", new UriType(Canonicals.BASE + "/ValueSet/naltrexone-products"))
                .andParameter("system", new UriType("http://www.nlm.nih.gov/research/umls/rxnorm"))
                .andParameter("code", new CodeType(code))
                .execute();
        return ((BooleanType) out.getParameter("result").getValue()).booleanValue();
    }

    private Resource parse(Path file) {
        try {
            return (Resource) fhirContext.newJsonParser().parseResource(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Stream<Path> files(Path dir) throws IOException {
        return Files.list(dir).filter(f -> f.toString().endsWith(".json"))
                .filter(f -> !f.getFileName().toString().startsWith("expected")).sorted();
    }
}
