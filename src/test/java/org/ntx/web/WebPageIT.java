package org.ntx.web;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ntx.support.ClinicalFixtures;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntx.support.ClinicalFixtures.OXYCODONE_10;

/**
 * The web page in a real browser: Debian's headless Chromium through its chromedriver (installed by .ci/run; never
 * a downloaded browser). Screenshots of each step are saved in target/screenshots.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPageIT {

    static final Path SCREENSHOTS = Path.of("target/screenshots");

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    WebDriver browser;
    String patientId;
    String formerPatientId;

    @BeforeAll
    void startBrowserAndSeedAPatient() throws Exception {
        IGenericClient client = FhirTestClient.forPort(fhirContext, port);
        Patient patient = new Patient();
        patient.addName().setFamily("Webtimeline").addGiven("Dana");
        patientId = ((IdType) client.create().resource(patient).execute().getId()).getIdPart();
        ClinicalFixtures story = new ClinicalFixtures(patientId, Instant.now());
        client.create().resource(story.injectionDaysAgo(50)).execute();
        client.create().resource(story.injectionDaysAgo(12)).execute();
        client.create().resource(story.dispenseDaysAgo(OXYCODONE_10, 80, 10)).execute();
        client.create().resource(story.alt(30, 70, 40)).execute();
        Observation screen = new Observation();
        screen.setStatus(Observation.ObservationStatus.FINAL);
        screen.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + patientId));
        screen.setCode(new CodeableConcept(new Coding("http://loinc.org", "19295-5", "Opiates [Presence] in Urine")));
        screen.setEffective(new DateTimeType(story.daysAgo(75)));
        screen.setValue(new StringType("positive"));
        client.create().resource(screen).execute();

        seedA2023Cohort(client);

        // A patient whose naltrexone history ended more than a year ago: a fixed six-month window would be empty.
        Patient former = new Patient();
        former.addName().setFamily("Oldhistory").addGiven("Lee");
        formerPatientId = ((IdType) client.create().resource(former).execute().getId()).getIdPart();
        ClinicalFixtures past = new ClinicalFixtures(formerPatientId, Instant.now());
        client.create().resource(past.injectionDaysAgo(400)).execute();
        client.create().resource(past.injectionDaysAgo(372)).execute();

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

    /**
     * Two injection and two oral courses starting in January 2023. Injection: one monthly to 04-26 (covered to
     * 05-24: retained at 30 and 90 days, not 180), one with a 69-day gap (not retained at 30). Oral: two 30-day
     * fills (covered to 03-04: retained at 30, not 90), one 20-day fill (not retained at 30).
     */
    private void seedA2023Cohort(IGenericClient client) {
        String[][] injections = {{"2023-01-05", "2023-02-01", "2023-03-01", "2023-03-29", "2023-04-26"},
                {"2023-01-10", "2023-03-20"}};
        for (String[] days : injections) {
            String id = ((IdType) client.create().resource(new Patient()).execute().getId()).getIdPart();
            for (String day : days) {
                org.hl7.fhir.r4.model.MedicationAdministration injection = new ClinicalFixtures(id, Instant.now())
                        .injectionDaysAgo(0);
                injection.setEffective(new DateTimeType(day + "T10:00:00Z"));
                client.create().resource(injection).execute();
            }
        }
        String[][] dispenses = {{"2023-01-03", "2023-02-02"}, {"2023-01-20"}};
        int[] supply = {30, 20};
        for (int patient = 0; patient < dispenses.length; patient++) {
            String[] days = dispenses[patient];
            String id = ((IdType) client.create().resource(new Patient()).execute().getId()).getIdPart();
            for (String day : days) {
                org.hl7.fhir.r4.model.MedicationDispense dispense = new ClinicalFixtures(id, Instant.now())
                        .dispenseDaysAgo(ClinicalFixtures.NALTREXONE_ORAL_50, 0, supply[patient]);
                dispense.setWhenHandedOverElement(new DateTimeType(day + "T10:00:00Z"));
                client.create().resource(dispense).execute();
            }
        }
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void showsTheWholeNaltrexoneHistoryByDefaultWithZoomPanAndTheLastSixMonths() throws Exception {
        open();
        browser.findElement(By.id("patient-query")).sendKeys("Oldhistory");
        browser.findElement(By.cssSelector("#patient-search button")).click();
        waitFor(By.cssSelector("[data-patient-id='" + formerPatientId + "']")).click();
        waitFor(By.cssSelector("#timeline [data-kind='injection-band']"));
        assertThat(browser.findElements(By.cssSelector("#timeline [data-kind='injection-band']"))).hasSize(2);
        long wholeSpan = shownSpanDays();
        assertThat(wholeSpan).isGreaterThan(400);
        screenshot("4-whole-history");

        browser.findElement(By.id("timeline-6m")).click();
        assertThat(browser.findElements(By.cssSelector("#timeline [data-kind='injection-band']"))).isEmpty();
        assertThat(shownSpanDays()).isBetween(225L, 228L);

        browser.findElement(By.id("timeline-all")).click();
        assertThat(shownSpanDays()).isEqualTo(wholeSpan);
        browser.findElement(By.id("timeline-zoom-in")).click();
        assertThat(shownSpanDays()).isBetween(wholeSpan / 2 - 1, wholeSpan / 2 + 1);
        String fromBefore = browser.findElement(By.cssSelector("#timeline svg")).getAttribute("data-from");
        browser.findElement(By.id("timeline-earlier")).click();
        assertThat(browser.findElement(By.cssSelector("#timeline svg")).getAttribute("data-from"))
                .isLessThan(fromBefore);
        assertThat(browser.findElement(By.id("timeline-range")).getText()).startsWith("Showing ");
    }

    private long shownSpanDays() {
        WebElement chart = browser.findElement(By.cssSelector("#timeline svg"));
        return Duration.between(Instant.parse(chart.getAttribute("data-from")),
                Instant.parse(chart.getAttribute("data-to"))).toDays();
    }

    @Test
    void asksForNoSignInWhenAuthenticationIsOff() throws Exception {
        open();
        waitFor(By.id("patient-query"));
        // The page probes SMART discovery once; give that answer time to arrive before looking.
        Thread.sleep(1000);
        assertThat(browser.findElement(By.id("access")).isDisplayed()).isFalse();
    }

    @Test
    void showsThePatientsInjectionBandsOpioidExposureAndCurrentCards() throws Exception {
        open();
        browser.findElement(By.id("patient-query")).sendKeys("Webtimeline");
        browser.findElement(By.cssSelector("#patient-search button")).click();
        waitFor(By.cssSelector("[data-patient-id='" + patientId + "']")).click();

        waitFor(By.cssSelector("#timeline [data-kind='injection-band']"));
        List<WebElement> bands = browser.findElements(By.cssSelector("#timeline [data-kind='injection-band']"));
        assertThat(bands).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("#timeline [data-kind='waning-band']"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("#timeline [data-kind='opioid']"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#timeline [data-kind='screen-positive']"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#timeline [data-kind='liver']"))).hasSize(1);
        assertThat(browser.findElement(By.id("patient-summary")).getText()).contains("Blockade: active");
        waitFor(By.cssSelector("#patient-cards .card[data-topic='treatment-status']"));
        screenshot("1-patient-timeline");
    }

    /**
     * Every figure on the patient tab is the FHIR API's: the summary line is $naltrexone-status's blockade, next
     * injection and opioid-free window; each mark's dates and values are those of the stored resources (injections,
     * the opioid dispense and its supply, the urine screen) and of $naltrexone-status's liver result.
     */
    @Test
    void everyDateAndValueOnThePatientTabIsTheApis() throws Exception {
        open();
        browser.findElement(By.id("patient-query")).sendKeys("Webtimeline");
        browser.findElement(By.cssSelector("#patient-search button")).click();
        waitFor(By.cssSelector("[data-patient-id='" + patientId + "']")).click();
        waitFor(By.cssSelector("#timeline [data-kind='injection-band']"));
        com.fasterxml.jackson.databind.JsonNode status = fhirJson("/fhir/Patient/" + patientId + "/$naltrexone-status");

        List<String> summary = new java.util.ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode blockade = parameter(status, "blockade");
        summary.add("Blockade: " + partValue(blockade, "phase"));
        if (!partValue(blockade, "formulation").isEmpty()) {
            summary.add("formulation " + partValue(blockade, "formulation"));
        }
        summary.add("active until " + day(partDateTime(blockade, "activeUntil")));
        summary.add("next injection due " + day(partDateTime(blockade, "nextInjectionDue")));
        com.fasterxml.jackson.databind.JsonNode window = parameter(status, "opioidFreeWindow");
        assertThat(partBoolean(window, "open")).as("the fixture's opioid exposure ended 70 days ago").isFalse();
        summary.add("opioid-free since " + day(partDateTime(window, "lastOpioidExposure")));
        assertThat(browser.findElement(By.id("patient-summary")).getText()).isEqualTo(String.join(" · ", summary));

        List<String> injections = new java.util.ArrayList<>();
        List<String> waning = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode injection : entries("/fhir/MedicationAdministration?subject="
                + "Patient/" + patientId)) {
            Instant given = Instant.parse(injection.path("effectiveDateTime").asText());
            injections.add("Injection " + day(given) + " (MedicationAdministration/" + injection.path("id").asText()
                    + "): blockade to " + day(given.plus(Duration.ofDays(28))));
            waning.add("Waning blockade, days 29-35 after " + day(given));
        }
        assertThat(injections).hasSize(2);
        assertThat(titles("injection-band")).containsExactlyInAnyOrderElementsOf(injections);
        assertThat(titles("waning-band")).containsExactlyInAnyOrderElementsOf(waning);

        List<String> opioids = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode dispense : entries("/fhir/MedicationDispense?subject=Patient/"
                + patientId)) {
            Instant handedOver = Instant.parse(dispense.path("whenHandedOver").asText());
            long supply = dispense.path("daysSupply").path("value").asLong();
            opioids.add(dispense.path("medicationCodeableConcept").path("coding").path(0).path("display").asText()
                    + " (dispense, MedicationDispense/" + dispense.path("id").asText() + ") " + day(handedOver)
                    + " to " + day(handedOver.plus(Duration.ofDays(supply))));
        }
        assertThat(titles("opioid")).containsExactlyInAnyOrderElementsOf(opioids).hasSize(1);

        List<String> screens = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode screen : entries("/fhir/Observation?subject=Patient/" + patientId
                + "&code=http://loinc.org%7C19295-5")) {
            screens.add("Opioid urine screen " + day(Instant.parse(screen.path("effectiveDateTime").asText())) + ": "
                    + screen.path("valueString").asText());
        }
        assertThat(titles("screen-positive")).containsExactlyInAnyOrderElementsOf(screens).hasSize(1);

        List<String> liver = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode result : status.path("parameter")) {
            if (!result.path("name").asText().equals("liverResult")) {
                continue;
            }
            com.fasterxml.jackson.databind.JsonNode value = part(result, "value").path("valueQuantity");
            liver.add(partValue(result, "test").toUpperCase(java.util.Locale.ROOT) + " "
                    + value.path("value").decimalValue().stripTrailingZeros().toPlainString() + " "
                    + value.path("unit").asText("") + " on " + day(partDateTime(result, "effective")) + ": "
                    + String.format(java.util.Locale.ROOT, "%.1f",
                    part(result, "multipleOfUpperLimit").path("valueDecimal").asDouble()) + "x ULN");
        }
        assertThat(titles("liver")).containsExactlyInAnyOrderElementsOf(liver).hasSize(1);
        assertThat(titles("today")).containsExactly("Today " + day(java.time.OffsetDateTime.parse(
                parameter(status, "asOf").path("valueDateTime").asText()).toInstant()));
    }

    /** The tooltips of the timeline's marks of one kind. */
    @SuppressWarnings("unchecked")
    private List<String> titles(String kind) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("return Array.from(document"
                + ".querySelectorAll(\"#timeline [data-kind='" + kind + "'] > title\")).map(t => t.textContent)");
    }

    private com.fasterxml.jackson.databind.JsonNode fhirJson(String path) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                        .header("Accept", "application/fhir+json").GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
    }

    private List<com.fasterxml.jackson.databind.JsonNode> entries(String search) throws Exception {
        List<com.fasterxml.jackson.databind.JsonNode> resources = new java.util.ArrayList<>();
        fhirJson(search).path("entry").forEach(entry -> resources.add(entry.path("resource")));
        return resources;
    }

    private static com.fasterxml.jackson.databind.JsonNode parameter(com.fasterxml.jackson.databind.JsonNode parameters,
                                                                     String name) {
        for (com.fasterxml.jackson.databind.JsonNode parameter : parameters.path("parameter")) {
            if (parameter.path("name").asText().equals(name)) {
                return parameter;
            }
        }
        throw new AssertionError("$naltrexone-status has no " + name + ": " + parameters);
    }

    private static com.fasterxml.jackson.databind.JsonNode part(com.fasterxml.jackson.databind.JsonNode parameter,
                                                                String name) {
        for (com.fasterxml.jackson.databind.JsonNode part : parameter.path("part")) {
            if (part.path("name").asText().equals(name)) {
                return part;
            }
        }
        throw new AssertionError("no part " + name + " in " + parameter);
    }

    private static Instant partDateTime(com.fasterxml.jackson.databind.JsonNode parameter, String name) {
        return java.time.OffsetDateTime.parse(part(parameter, name).path("valueDateTime").asText()).toInstant();
    }

    private static boolean partBoolean(com.fasterxml.jackson.databind.JsonNode parameter, String name) {
        return part(parameter, name).path("valueBoolean").asBoolean();
    }

    /** A date as the page shows it: the UTC calendar day. */
    private static String day(Instant instant) {
        return instant.atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
    }

    @Test
    void showsTheConflictCardForADraftOpioidOrder() throws Exception {
        open();
        browser.findElement(By.id("tab-order")).click();
        browser.findElement(By.id("order-patient")).sendKeys(patientId);
        new Select(browser.findElement(By.id("order-medication"))).selectByValue("1049683");
        browser.findElement(By.cssSelector("#order-form button")).click();

        WebElement card = waitFor(By.cssSelector("#order-cards .card[data-topic='opioid-blockade-conflict']"));
        assertThat(card.getAttribute("class")).contains("critical");
        assertThat(card.getText()).contains("Remove the opioid order").contains("Override reasons")
                .contains("MedicationAdministration/");
        screenshot("2-order-conflict-card");
    }

    @Test
    void drawsTheResearchCurves() throws Exception {
        open();
        browser.findElement(By.id("tab-research")).click();
        ((JavascriptExecutor) browser).executeScript("document.getElementById('research-start').value='2023-01-01';"
                + "document.getElementById('research-end').value='2023-01-31';");
        browser.findElement(By.cssSelector("#research-form button")).click();
        waitFor(By.cssSelector("#research-table tr td"));

        // Retention (%) on every day of follow-up, a step curve: at 0/30/90/180 days injection 100/50/50/0 and oral
        // 100/50/0/0 for the 2023 cohort.
        Object curves = ((JavascriptExecutor) browser).executeScript(
                "return window.ntx.charts['chart-retention'].data.datasets.map(d => d.label + ':' + [0, 30, 90, 180]"
                        + ".map(day => d.data.find(p => p.x === day).y).join('/') + ':' + d.data.length + ':' + d.stepped)");
        assertThat(curves.toString()).contains("Injection:100/50/50/0:").contains("Oral:100/50/0/0:");
        assertThat(curves.toString()).doesNotContain(":false");
        assertThat(browser.findElement(By.id("research-summary")).getText())
                .contains("4 patients started naltrexone");

        // Every figure in the table is the API's: numerator, denominator and score of each measure, as
        // $naltrexone-outcomes answers them for the same period; a mean (oral PDC) shows no numerator.
        java.net.http.HttpResponse<String> api = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + "/fhir/$naltrexone-outcomes?start=2023-01-01&end=2023-01-31")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(api.body());
        List<WebElement> rows = browser.findElements(By.cssSelector("#research-table tr"));
        int checked = 0;
        for (com.fasterxml.jackson.databind.JsonNode group : report.path("group")) {
            String numerator = null;
            String denominator = null;
            for (com.fasterxml.jackson.databind.JsonNode population : group.path("population")) {
                String code = population.path("code").path("coding").path(0).path("code").asText();
                if (code.equals("numerator")) {
                    numerator = population.path("count").asText();
                } else if (code.equals("denominator")) {
                    denominator = population.path("count").asText();
                }
            }
            if (denominator == null) {
                continue;
            }
            String label = group.path("code").path("text").asText();
            WebElement row = rows.stream().filter(r -> !r.findElements(By.tagName("td")).isEmpty()
                    && r.findElements(By.tagName("td")).get(0).getText().equals(label)).findFirst().orElseThrow();
            List<WebElement> cells = row.findElements(By.tagName("td"));
            assertThat(cells.get(1).getText()).as(label + " numerator").isEqualTo(numerator == null ? "–" : numerator);
            assertThat(cells.get(2).getText()).as(label + " denominator").isEqualTo(denominator);
            String score = group.path("measureScore").isMissingNode() ? "–"
                    : String.format(java.util.Locale.ROOT, "%.3f", group.path("measureScore").path("value").asDouble());
            assertThat(cells.get(3).getText()).as(label + " score").isEqualTo(score);
            checked++;
        }
        assertThat(checked).isGreaterThan(5);

        // The chart's curve is the API's retention-curve, point for point.
        for (com.fasterxml.jackson.databind.JsonNode group : report.path("group")) {
            if (!group.path("code").path("coding").path(0).path("code").asText().equals("retention-curve")) {
                continue;
            }
            for (com.fasterxml.jackson.databind.JsonNode stratifier : group.path("stratifier")) {
                String formulation = stratifier.path("code").path(0).path("text").asText();
                StringBuilder expected = new StringBuilder();
                for (com.fasterxml.jackson.databind.JsonNode stratum : stratifier.path("stratum")) {
                    int numerator = 0;
                    int denominator = 0;
                    for (com.fasterxml.jackson.databind.JsonNode population : stratum.path("population")) {
                        String code = population.path("code").path("coding").path(0).path("code").asText();
                        if (code.equals("numerator")) {
                            numerator = population.path("count").asInt();
                        } else if (code.equals("denominator")) {
                            denominator = population.path("count").asInt();
                        }
                    }
                    if (denominator > 0) {
                        expected.append(stratum.path("value").path("text").asText()).append('=')
                                .append(String.format(java.util.Locale.ROOT, "%.4f", 100.0 * numerator / denominator))
                                .append(';');
                    }
                }
                Object drawn = ((JavascriptExecutor) browser).executeScript("return window.ntx.retention['"
                        + formulation + "'].map(p => p.x + '=' + p.y.toFixed(4) + ';').join('')");
                assertThat(drawn).as(formulation + " retention curve").isEqualTo(expected.toString());
            }
        }

        // The Kaplan-Meier curves are $naltrexone-survival's, step for step: survival, band and censoring ticks of
        // the retention analysis by formulation, and the numbers at risk under the axis.
        waitFor(By.cssSelector("#km-at-risk tr td"));
        java.net.http.HttpResponse<String> survivalApi = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + "/fhir/$naltrexone-survival?start=2023-01-01&end=2023-01-31")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        com.fasterxml.jackson.databind.JsonNode survival = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(survivalApi.body());
        int strataChecked = 0;
        for (com.fasterxml.jackson.databind.JsonNode analysis : survival.path("parameter")) {
            if (!analysis.path("name").asText().equals("analysis") || !partValue(analysis, "name").equals("retention")) {
                continue;
            }
            for (com.fasterxml.jackson.databind.JsonNode curve : analysis.path("part")) {
                if (!curve.path("name").asText().equals("curve")
                        || !partValue(curve, "stratifier").equals("formulation")) {
                    continue;
                }
                String stratum = partValue(curve, "stratum");
                StringBuilder steps = new StringBuilder("0=100.0000;");
                StringBuilder ticks = new StringBuilder();
                StringBuilder atRisk = new StringBuilder(partValue(curve, "patients"));
                for (com.fasterxml.jackson.databind.JsonNode step : curve.path("part")) {
                    if (step.path("name").asText().equals("step")) {
                        String point = new java.math.BigDecimal(partValue(step, "time")).stripTrailingZeros()
                                .toPlainString() + "=" + String.format(java.util.Locale.ROOT, "%.4f",
                                100 * Double.parseDouble(partValue(step, "survival"))) + ";";
                        steps.append(point);
                        if (Integer.parseInt(partValue(step, "censored")) > 0) {
                            ticks.append(point);
                        }
                    } else if (step.path("name").asText().equals("atRisk")) {
                        atRisk.append('/').append(partValue(step, "atRisk"));
                    }
                }
                JavascriptExecutor js = (JavascriptExecutor) browser;
                assertThat(js.executeScript("return window.ntx.km['" + stratum
                        + "'].curve.map(p => p.x + '=' + p.y.toFixed(4) + ';').join('')"))
                        .as(stratum + " Kaplan-Meier curve").isEqualTo(steps.toString());
                assertThat(js.executeScript("return window.ntx.km['" + stratum
                        + "'].censored.map(p => p.x + '=' + p.y.toFixed(4) + ';').join('')"))
                        .as(stratum + " censoring ticks").isEqualTo(ticks.toString());
                String label = stratum.equals("injection") ? "Injection" : "Oral";
                WebElement row = browser.findElements(By.cssSelector("#km-at-risk tr")).stream()
                        .filter(r -> r.findElement(By.tagName("th")).getText().equals(label)).findFirst().orElseThrow();
                assertThat(String.join("/", row.findElements(By.tagName("td")).stream().map(WebElement::getText)
                        .toList())).as(stratum + " numbers at risk").isEqualTo(atRisk.toString());
                strataChecked++;
            }
        }
        assertThat(strataChecked).as("strata drawn").isEqualTo(2);
        Object drawn = ((JavascriptExecutor) browser).executeScript(
                "return window.ntx.charts['chart-km'].data.datasets.map(d => d.label + ':' + (d.stepped || d.type)"
                        + " + ':' + (d.fill || '') + ':' + JSON.stringify(d.borderDash || [])).join('|')");
        assertThat(drawn.toString()).contains("Injection:true::[]").contains("Oral:true::[6,4]")
                .contains("Injection 95% CI:true:-1:").contains("Oral censored:scatter");
        assertThat(browser.findElement(By.id("km-text")).getText()).startsWith("Kaplan-Meier retention by formulation.")
                .contains("median retention").contains("Log-rank test");
        screenshot("3-research-view");
    }

    /** A part's value in FHIR Parameters JSON, as text. */
    private static String partValue(com.fasterxml.jackson.databind.JsonNode parameter, String name) {
        for (com.fasterxml.jackson.databind.JsonNode part : parameter.path("part")) {
            if (part.path("name").asText().equals(name)) {
                for (String type : List.of("valueDecimal", "valueInteger", "valueCode", "valueString")) {
                    if (part.has(type)) {
                        return part.get(type).asText();
                    }
                }
            }
        }
        return "";
    }

    @Test
    void tabsCanBeReachedWithTheKeyboard() {
        open();
        WebElement patientTab = browser.findElement(By.id("tab-patient"));
        patientTab.click();
        patientTab.sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);
        assertThat(browser.findElement(By.id("tab-order")).getAttribute("aria-selected")).isEqualTo("true");
        assertThat(browser.findElement(By.id("view-order")).isDisplayed()).isTrue();
    }

    private void open() {
        browser.get("http://127.0.0.1:" + port + "/");
        waitFor(By.id("patient-query"));
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(driver -> driver.findElements(locator).stream().findFirst().orElse(null));
    }

    private void screenshot(String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
