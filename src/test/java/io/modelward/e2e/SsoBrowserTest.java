package io.modelward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Single sign-on as a person lives it, in headless Chromium: the portal sends her to the real Keycloak, she logs in
 * and lands on the catalog with her name and roles shown; logging out ends the Keycloak session too.
 */
@ExtendWith(KeycloakExtension.class)
class SsoBrowserTest {

    static KeycloakServer keycloak;
    static SsoPortal portal;
    static Browser browser;

    @RegisterExtension
    final TestWatcher dumpOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            browser.screenshot("FAILED-sso-" + context.getDisplayName().replaceAll("\\W", ""));
            System.err.println("---- page at failure: " + browser.driver().getCurrentUrl() + " ----\n"
                    + browser.driver().findElement(By.tagName("body")).getText());
        }
    };

    @BeforeAll
    static void start(KeycloakServer keycloak, SsoPortal portal) throws Exception {
        SsoBrowserTest.keycloak = keycloak;
        SsoBrowserTest.portal = portal;
        browser = Browser.start(Path.of(System.getProperty("modelward.e2e.screens", "target/e2e-screens")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void logsAResearcherInThroughKeycloakAndOutOfBoth() {
        ChromeDriver driver = browser.driver();
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));

        driver.get(portal.url("/models"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(driver.getCurrentUrl()).as("sent to Keycloak's login page")
                .startsWith(keycloak.issuer() + "/protocol/openid-connect/auth");
        browser.screenshot("sso-01-keycloak-login");

        driver.findElement(By.id("username")).sendKeys("alice");
        driver.findElement(By.id("password")).sendKeys("alice-dev-password");
        driver.findElement(By.id("kc-login")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("current-user")));
        assertThat(driver.getCurrentUrl()).startsWith(portal.url("/models"));
        assertThat(driver.findElement(By.id("current-user")).getText()).contains("Alice Researcher")
                .contains("researcher");
        assertThat(driver.findElements(By.linkText("Approvals"))).as("no approver menu for a researcher").isEmpty();
        browser.screenshot("sso-02-catalog-as-alice");

        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.urlContains("/login?logout"));
        assertThat(driver.getCurrentUrl()).startsWith(portal.url("/login"));
        assertThat(driver.findElement(By.id("login-mode")).getText()).contains("Single sign-on")
                .contains(keycloak.issuer());
        browser.screenshot("sso-03-logged-out");

        // the Keycloak session is gone too: coming back asks for the password again
        driver.get(portal.url("/models"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(driver.getCurrentUrl()).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth");
    }
}
