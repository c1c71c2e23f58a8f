package org.ntx.profiles;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Signature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Bundle/$validate} of a signed document Bundle, as an EHR sends one: HL7's validator reads the signer's
 * certificate from the JWS header ({@code x5c}) and checks the signature. Before commons-net was declared (the
 * validator uses its Base64 for the certificate and does not declare it), any Bundle carrying a real certificate got
 * a 500. A signature that does not verify must come back as an error issue, with the certificate it names.
 */
@IntegrationTest
class SignedBundleValidationIT {

    @TempDir
    static Path keys;

    static PrivateKey key;
    static X509Certificate certificate;

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    /** A self-signed signing certificate made by the JDK's keytool, so no key material lives in the repository. */
    @BeforeAll
    static void makeASigningCertificate() throws Exception {
        Path store = keys.resolve("signer.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "signer", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=Dr Ada Signer", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(store.toFile())) {
            keyStore.load(in, "changeit".toCharArray());
        }
        key = (PrivateKey) keyStore.getKey("signer", "changeit".toCharArray());
        certificate = (X509Certificate) keyStore.getCertificate("signer");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"application/fhir+json", "application/fhir+xml"})
    void reportsASignatureThatDoesNotVerifyAgainstItsCertificate(String format) throws Exception {
        Bundle bundle = signedDocument(jws("{\"resourceType\":\"Bundle\",\"tampered\":true}"));

        HttpResponse<String> response = validate(bundle, format);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        OperationOutcome outcome = (OperationOutcome) (format.endsWith("json")
                ? fhirContext.newJsonParser() : fhirContext.newXmlParser()).parseResource(response.body());
        assertThat(messageIds(outcome, IssueSeverity.ERROR)).contains("BUNDLE_SIGNATURE_SIG_FAIL_CERT");
        assertThat(outcome.getIssue()).anySatisfy(issue -> assertThat(issue.getDiagnostics())
                .contains("Signing Certificate Details").contains("CN=Dr Ada Signer"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"application/fhir+json", "application/fhir+xml"})
    void reportsACertificateThatCannotBeRead(String format) throws Exception {
        String header = base64Url("{\"alg\":\"RS256\",\"x5c\":[\"bm90IGEgY2VydGlmaWNhdGU=\"]}");
        Bundle bundle = signedDocument(header + "..c2ln");

        HttpResponse<String> response = validate(bundle, format);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("X509");
    }

    private HttpResponse<String> validate(Bundle bundle, String format) throws Exception {
        String body = format.endsWith("json")
                ? fhirContext.newJsonParser().encodeResourceToString(bundle)
                : fhirContext.newXmlParser().encodeResourceToString(bundle);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/fhir/Bundle/$validate"))
                .header("Content-Type", format).header("Accept", format)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A compact JWS (RFC 7515) over {@code payload}, detached, signed with the test key, its certificate in x5c. */
    private static String jws(String payload) throws Exception {
        String header = base64Url("{\"alg\":\"RS256\",\"sigT\":\"2026-12-01T10:00:00Z\",\"x5c\":[\""
                + Base64.getEncoder().encodeToString(certificate.getEncoded()) + "\"]}");
        java.security.Signature signer = java.security.Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update((header + "." + base64Url(payload)).getBytes(StandardCharsets.US_ASCII));
        return header + ".." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
    }

    private static Bundle signedDocument(String jws) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        bundle.getIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:5b0c3f0e-3a57-4d8e-9a51-7d2f3c1e0a11");
        bundle.setTimestamp(new Date());
        Composition composition = new Composition().setStatus(Composition.CompositionStatus.FINAL)
                .setDate(new Date()).setTitle("Naltrexone treatment note");
        composition.getType().setText("Progress note");
        composition.addAuthor(new Reference().setDisplay("Dr Ada Signer"));
        bundle.addEntry().setFullUrl("urn:uuid:5b0c3f0e-3a57-4d8e-9a51-7d2f3c1e0a12").setResource(composition);
        Signature signature = bundle.getSignature();
        signature.addType(new Coding("urn:iso-astm:E1762-95:2013", "1.2.840.10065.1.12.1.1", "Author's Signature"));
        signature.setWhenElement(new InstantType("2026-12-01T10:00:00Z"));
        signature.setWho(new Reference().setDisplay("Dr Ada Signer"));
        signature.setSigFormat("application/jose");
        signature.setData(jws.getBytes(StandardCharsets.US_ASCII));
        return bundle;
    }

    private static List<String> messageIds(OperationOutcome outcome, IssueSeverity severity) {
        return outcome.getIssue().stream().filter(issue -> issue.getSeverity() == severity)
                .flatMap(issue -> issue.getDetails().getCoding().stream()).map(Coding::getCode).toList();
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
