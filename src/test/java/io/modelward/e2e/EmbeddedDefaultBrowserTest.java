package io.modelward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A newcomer's first hour, in a real browser against the packaged portal started as the README says, on the embedded
 * default (local accounts, embedded PostgreSQL, local deployer): the seeded demo model is deployed and answers; a
 * researcher registers a model with license and provenance, uploads its file with the progress bar and submits it;
 * she cannot approve it herself; an approver approves it.
 */
class EmbeddedDefaultBrowserTest {

    static final Path DIGITS = Path.of(System.getProperty("modelward.e2e.models", "../../tools/models/digits"));

    static PortalProcess portal;
    static Browser browser;
    static Path work;

    @RegisterExtension
    final TestWatcher dumpOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            browser.screenshot("FAILED-" + context.getDisplayName().replaceAll("\\W", ""));
            System.err.println("---- page at failure: " + browser.driver().getCurrentUrl() + " ----\n"
                    + browser.driver().findElement(By.tagName("body")).getText());
            try {
                System.err.println("---- portal log ----\n" + portal.log());
                System.err.println("---- runtime logs ----\n" + portal.runtimeLogs());
            }
            catch (IOException ex) {
                System.err.println("no portal log: " + ex);
            }
        }
    };

    @BeforeAll
    static void start() throws Exception {
        work = Path.of(System.getProperty("modelward.e2e.work-dir", "target/e2e")).resolve("journey-" + System.nanoTime());
        portal = PortalProcess.start(work.resolve("data"));
        browser = Browser.start(Path.of(System.getProperty("modelward.e2e.screens", "target/e2e-screens")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (portal != null) {
            portal.close();
        }
    }

    @Test
    void showsTheSeededDemoModelDeployedAndAnsweringOnItsTryItPage() throws IOException {
        ChromeDriver driver = browser.driver();
        freshSession(driver);
        logIn(driver, "alice");
        driver.get(portal.url("/deployments"));
        WebElement row = driver.findElement(By.cssSelector("#deployments tr[data-deployment='demo-digits']"));
        assertThat(row.getText()).contains("demo-digits 1.0").contains("local");
        new WebDriverWait(driver, Duration.ofSeconds(120)).until(ExpectedConditions.textToBePresentInElement(
                row.findElement(By.cssSelector("[data-live=status]")), "READY"));
        browser.screenshot("demo-01-deployments");

        click(driver, row.findElement(By.linkText("demo-digits")));
        click(driver, By.id("try-it"));
        driver.findElement(By.id("image")).sendKeys(DIGITS.resolve("test-images/001-6.png").toRealPath().toString());
        click(driver, By.id("classify"));
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.id("result")));
        assertThat(driver.findElements(By.cssSelector("#result .prediction-label"))).hasSize(5).first()
                .extracting(WebElement::getText).isEqualTo("6");
        browser.screenshot("demo-02-try-it");
    }

    @Test
    void researcherRegistersAndSubmitsAModelAndAnotherPersonApprovesIt() throws IOException {
        ChromeDriver driver = browser.driver();
        freshSession(driver);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));

        driver.get(portal.url("/models"));
        assertThat(driver.getCurrentUrl()).contains("/login");
        assertThat(driver.findElement(By.id("login-mode")).getText()).contains("Local accounts");
        browser.screenshot("01-login");
        logIn(driver, "alice");
        assertThat(driver.findElement(By.id("current-user")).getText()).contains("alice").contains("researcher");

        click(driver, By.id("register-model"));
        driver.findElement(By.id("name")).sendKeys("Digits CNN");
        driver.findElement(By.id("displayName")).sendKeys("Handwritten digits CNN");
        click(driver, By.id("save-model"));
        assertThat(driver.findElement(By.className("invalid-feedback")).getText()).contains("lower-case letters");
        browser.screenshot("02-register-model-error");
        driver.findElement(By.id("name")).clear();
        driver.findElement(By.id("name")).sendKeys("digits-cnn");
        driver.findElement(By.id("description")).sendKeys("Small CNN for 8x8 handwritten digits.");
        click(driver, By.id("save-model"));

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("version")));
        driver.findElement(By.id("version")).sendKeys("1.0");
        driver.findElement(By.id("license")).sendKeys("MIT");
        new Select(driver.findElement(By.id("sourceType"))).selectByValue("GITHUB");
        driver.findElement(By.id("sourceUri")).sendKeys("https://github.com/acme/digits");
        driver.findElement(By.id("revision")).sendKeys("4f1c2d9");
        driver.findElement(By.id("authors")).sendKeys("ACME Imaging Lab");
        driver.findElement(By.id("modelCard")).sendKeys("# Digits CNN\n\nIntended use: research.\n\n<script>alert(1)</script>");
        driver.findElement(By.id("resizeTo")).sendKeys("8");
        driver.findElement(By.id("imageSize")).sendKeys("8");
        browser.screenshot("03-register-version");
        click(driver, By.id("save-version"));

        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upload-model")));
        Path model = torchScriptLikeFile(work.resolve("digits.pt"));
        WebElement uploadForm = driver.findElement(By.id("upload-model"));
        uploadForm.findElement(By.name("file")).sendKeys(model.toAbsolutePath().toString());
        click(driver, uploadForm.findElement(By.cssSelector("button[type=submit]")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#upload-model .upload-result"),
                "Stored digits.pt"));
        assertThat(driver.findElement(By.cssSelector("#upload-model .progress-bar")).getText()).isEqualTo("100%");
        browser.screenshot("04-upload-progress");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("uploaded"), "digits.pt"));
        click(driver, By.id("submit-version"));

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("alert-success"), "Submitted"));
        assertThat(driver.findElements(By.id("approve"))).as("no approve button for the submitter").isEmpty();
        assertThat(driver.findElement(By.id("model-card")).getText()).contains("<script>alert(1)</script>");
        browser.screenshot("05-submitted");
        logOut(driver);

        logIn(driver, "bob");
        driver.get(portal.url("/approvals"));
        WebElement queue = driver.findElement(By.id("queue"));
        assertThat(queue.getText()).contains("Handwritten digits CNN").contains("MIT").contains("ALLOWED")
                .contains(sha256(model));
        browser.screenshot("06-approval-queue");
        click(driver, queue.findElement(By.linkText("Review")));
        driver.findElement(By.id("reason")).sendKeys("License permissive, provenance pinned to a commit.");
        click(driver, By.id("approve"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("alert-success"), "Approved"));
        assertThat(driver.findElement(By.cssSelector(".badge.state-approved")).getText()).isEqualTo("APPROVED");
        assertThat(driver.findElement(By.id("history")).getText()).contains("APPROVED by bob")
                .contains("provenance pinned to a commit");
        browser.screenshot("07-approved");
    }

    private void freshSession(ChromeDriver driver) {
        driver.get(portal.url("/login"));
        driver.manage().deleteAllCookies();
    }

    private static void click(ChromeDriver driver, By locator) {
        browser.click(locator);
    }

    private static void click(ChromeDriver driver, WebElement element) {
        browser.click(element);
    }

    private void logIn(ChromeDriver driver, String user) {
        driver.get(portal.url("/login"));
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(portal.password(user));
        click(driver, By.id("login"));
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("current-user")));
    }

    private void logOut(ChromeDriver driver) {
        click(driver, By.id("logout"));
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("/login?logout"));
    }

    /** A zip laid out like torch.jit.save output; the real digits model arrives with the inference runtime. */
    private static Path torchScriptLikeFile(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String[] entry : new String[][] { { "digits/data.pkl", "pickle" },
                    { "digits/code/__torch__/net.py", "def forward(self, x):\n  return x\n" },
                    { "digits/data/0", "x".repeat(200_000) } }) {
                zip.putNextEntry(new ZipEntry(entry[0]));
                zip.write(entry[1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes.toByteArray());
    }

    private static String sha256(Path file) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
