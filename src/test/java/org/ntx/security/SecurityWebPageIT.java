package org.ntx.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page with authentication on, in Debian's headless Chromium (as {@code WebPageIT} with it off): it asks for
 * an access token, and with one it finds and shows a patient.
 */
@SecuredIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityWebPageIT {

    @LocalServerPort
    int port;

    WebDriver browser;

    @BeforeAll
    void startBrowserAndSeedAPatient() throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/fhir/Patient"))
                .header("Authorization", "Bearer " + TestTokens.fhirAccessToken("user/*.cruds", null))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"name\":[{\"family\":"
                        + "\"Signedin\",\"given\":[\"Kim\"]}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
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
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void asksForATokenAndWithOneShowsThePatient() {
        browser.get("http://127.0.0.1:" + port + "/");
        WebElement access = waitFor(By.id("access"));
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> access.isDisplayed());

        browser.findElement(By.id("access-token")).sendKeys(TestTokens.fhirAccessToken("user/*.rs", null));
        browser.findElement(By.cssSelector("#access button")).click();
        browser.findElement(By.id("patient-query")).sendKeys("Signedin");
        browser.findElement(By.cssSelector("#patient-search button")).click();
        WebElement found = waitFor(By.cssSelector("[data-patient-id]"));
        assertThat(found.getText()).contains("Kim Signedin");
    }

    private WebElement waitFor(By locator) {
        return new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(driver -> driver.findElements(locator).stream().findFirst().orElse(null));
    }
}
