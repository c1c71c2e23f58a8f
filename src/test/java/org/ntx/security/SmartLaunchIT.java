package org.ntx.security;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ntx.support.ClinicalFixtures;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.File;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeline link of a card as an EHR launches it (SMART App Launch, EHR launch), in Debian's headless Chromium:
 * the EHR opens the page with {@code launch} and {@code iss}; the page finds the EHR's authorization server through
 * {@code iss}, signs in with an authorization code and PKCE S256, and shows the patient of the token response, and
 * nobody else. The EHR is {@link TestAuthorizationServer} on loopback, issuing tokens signed with the TEST-ONLY
 * issuer key this secured context trusts.
 */
@SecuredIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmartLaunchIT {

    static final Path SCREENSHOTS = Path.of("target/screenshots");

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    final ObjectMapper json = new ObjectMapper();
    TestHttp http;
    TestAuthorizationServer ehr;
    WebDriver browser;
    String launched;
    String other;

    @BeforeAll
    void seedTwoPatientsStartTheEhrAndTheBrowser() throws Exception {
        http = new TestHttp(port);
        launched = patient("Launchpatient", "Ada");
        other = patient("Otherpatient", "Bea");
        for (String id : new String[] {launched, other}) {
            create(new ClinicalFixtures(id, Instant.now()).injectionDaysAgo(9));
        }
        ehr = new TestAuthorizationServer("ntx-timeline", "http://127.0.0.1:" + port + "/");

        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1100",
                "--user-data-dir=" + Files.createTempDirectory("ntx-chromium").toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (ehr != null) {
            ehr.close();
        }
    }

    @Test
    void anEhrLaunchShowsThePatientOfTheLaunchAndNobodyElse() throws Exception {
        browser.get("http://127.0.0.1:" + port + "/?launch=" + ehr.launchFor(launched) + "&iss="
                + URLEncoder.encode(ehr.fhirBase(), StandardCharsets.UTF_8));

        // The launch leaves the page for the authorization server and comes back to a new document, so a heading
        // found before that goes stale: look again until the launched patient is shown.
        new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
                .until(driver -> {
                    WebElement heading = driver.findElement(By.id("patient-title"));
                    return heading.isDisplayed() && heading.getText().contains("Launchpatient");
                });
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver ->
                !driver.findElements(By.cssSelector("#timeline [data-kind='injection-band']")).isEmpty());
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver ->
                !driver.findElements(By.cssSelector("#patient-cards .card[data-topic='treatment-status']")).isEmpty());
        Files.write(SCREENSHOTS.resolve("smart-launch.png"),
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        assertThat(ehr.refusals()).as("the authorization server refused nothing").isEmpty();
        assertThat(ehr.verifiedChallenges()).as("the code was exchanged with a matching PKCE verifier").hasSize(1);
        assertThat(browser.findElement(By.id("patient-title")).getText()).contains("Ada Launchpatient")
                .contains("Patient/" + launched);
        String page = browser.findElement(By.tagName("body")).getText();
        assertThat(page).doesNotContain("Otherpatient").doesNotContain(other);
        assertThat(browser.findElement(By.id("patient-search")).isDisplayed()).as("no search for others").isFalse();
        assertThat(browser.getCurrentUrl()).as("the single-use code leaves the address bar")
                .doesNotContain("code=");

        // The token the page holds reaches this patient only: the server refuses the other one.
        JavascriptExecutor js = (JavascriptExecutor) browser;
        Object status = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch('/api/patients/" + other + "/timeline', {headers: {Authorization: 'Bearer ' +"
                + " sessionStorage.getItem('ntx-token')}}).then(r => done(r.status), e => done(String(e)));");
        assertThat(status).isEqualTo(403L);
    }

    @Test
    void aLaunchTheEhrDoesNotKnowIsRefusedAndShowsNoPatient() {
        browser.get("http://127.0.0.1:" + port + "/?launch=forged&iss="
                + URLEncoder.encode(ehr.fhirBase(), StandardCharsets.UTF_8));

        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> ehr.refusals().stream()
                .anyMatch(r -> r.startsWith("unknown launch")));
        assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("Launchpatient")
                .doesNotContain("Otherpatient");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private String patient(String family, String given) throws Exception {
        Patient patient = new Patient();
        patient.addName().setFamily(family).addGiven(given);
        return create(patient);
    }

    private String create(Resource resource) throws Exception {
        HttpResponse<String> created = http.postFhir("/fhir/" + resource.fhirType(),
                TestTokens.fhirAccessToken("registrar", "user/*.cruds", null),
                fhirContext.newJsonParser().encodeResourceToString(resource));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json.readTree(created.body()).get("id").asText();
    }
}
