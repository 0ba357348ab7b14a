package io.modelward.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole journey, as the people of a hospital live it, with every real part running at once: the bundled
 * Keycloak, the packaged portal in its {@code keycloak} profile on embedded PostgreSQL, the local deployer with real
 * runtime processes serving the committed digits model, and headless Chromium. Each step is a test, in order, that
 * asserts what a person would see and leaves a screenshot {@code journey-NN-*.png} in {@code target/e2e-screens/}.
 * Once a step fails the later ones are skipped (they would only repeat its failure), and the Keycloak, portal and
 * runtime logs are printed.
 */
@ExtendWith(KeycloakExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HospitalJourneyTest {

    static final Path DIGITS = Path.of(System.getProperty("modelward.e2e.models", "../../tools/models/digits"));
    static final String MODEL = "digits-cnn";
    static final String DEPLOYMENT = "digits-cnn-1-0";
    static final String IMAGE = "001-6.png";
    static final String EXPECTED_LABEL = "6";

    static KeycloakServer keycloak;
    static SsoPortal portal;
    static Browser browser;
    static String signedIn;
    static boolean failed;
    static String tryItLabel;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    @RegisterExtension
    final TestWatcher dumpOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = true;
            browser.screenshot("FAILED-journey-" + context.getRequiredTestMethod().getName());
            System.err.println("---- page at failure: " + browser.driver().getCurrentUrl() + " ----\n"
                    + browser.driver().findElement(By.tagName("body")).getText());
            try {
                System.err.println("---- Keycloak log ----\n" + keycloak.log());
                System.err.println("---- portal log ----\n" + portal.log());
                System.err.println("---- runtime logs ----\n" + portal.runtimeLogs());
            }
            catch (IOException ex) {
                System.err.println("could not read a log: " + ex);
            }
        }
    };

    @BeforeAll
    static void start(KeycloakServer keycloak, SsoPortal portal) throws IOException {
        HospitalJourneyTest.keycloak = keycloak;
        HospitalJourneyTest.portal = portal;
        browser = Browser.start(Path.of(System.getProperty("modelward.e2e.screens", "target/e2e-screens")));
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void onlyAfterEveryEarlierStepPassed() {
        assumeTrue(!failed, "an earlier step of the journey failed");
    }

    @Test
    @Order(1)
    void aliceIsSentToKeycloakLogsInAndSeesHerName() {
        ChromeDriver driver = browser.driver();
        driver.get(portal.url("/models"));
        waitFor(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(driver.getCurrentUrl()).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth");
        browser.screenshot("journey-01-keycloak-login");
        submitKeycloakLogin("alice");
        assertThat(driver.getCurrentUrl()).startsWith(portal.url("/models"));
        assertThat(driver.findElement(By.id("current-user")).getText()).contains("Alice Researcher").contains("researcher");
        browser.screenshot("journey-01-catalog-as-alice");
    }

    @Test
    @Order(2)
    void aliceRegistersTheDigitsModelWithLicenseAndProvenanceUploadsItAndSubmitsIt() throws IOException {
        ChromeDriver driver = browser.driver();
        logInAs("alice");
        driver.get(portal.url("/models"));
        click(By.id("register-model"));
        driver.findElement(By.id("name")).sendKeys(MODEL);
        driver.findElement(By.id("displayName")).sendKeys("Handwritten digits CNN");
        driver.findElement(By.id("description")).sendKeys("Small CNN for 8x8 handwritten digits.");
        click(By.id("save-model"));

        waitFor(20).until(ExpectedConditions.presenceOfElementLocated(By.id("version")));
        driver.findElement(By.id("version")).sendKeys("1.0");
        new Select(driver.findElement(By.id("format"))).selectByValue("TORCHSCRIPT");
        driver.findElement(By.id("license")).sendKeys("MIT");
        new Select(driver.findElement(By.id("sourceType"))).selectByValue("GITHUB");
        driver.findElement(By.id("sourceUri")).sendKeys("https://github.com/acme/digits");
        driver.findElement(By.id("revision")).sendKeys("4f1c2d9");
        driver.findElement(By.id("authors")).sendKeys("ACME Imaging Lab");
        driver.findElement(By.id("modelCard")).sendKeys("# Digits CNN\n\nIntended use: research on 8x8 digit scans.");
        driver.findElement(By.id("resizeTo")).sendKeys("8");
        driver.findElement(By.id("imageSize")).sendKeys("8");
        driver.findElement(By.id("mean")).sendKeys("0");
        driver.findElement(By.id("std")).sendKeys("1");
        click(By.id("grayscale1"));
        browser.screenshot("journey-02-register-version");
        click(By.id("save-version"));

        waitFor(20).until(ExpectedConditions.presenceOfElementLocated(By.id("upload-model")));
        browser.driver().executeScript("window.journeyPage = 'not reloaded';");
        upload("upload-model", DIGITS.resolve("digits.pt"));
        upload("upload-labels", DIGITS.resolve("synset.txt"));
        browser.screenshot("journey-02-uploaded");
        assertThat(driver.findElement(By.id("uploaded")).getText()).contains("digits.pt").contains("synset.txt");
        assertThat(driver.findElement(By.cssSelector("#upload-model .upload-result")).getText())
                .as("the first upload's message outlives the second").contains("Stored digits.pt");
        assertThat(browser.driver().executeScript("return window.journeyPage"))
                .as("the page was updated in place, never reloaded under an upload").isEqualTo("not reloaded");
        click(By.id("submit-version"));
        waitFor(20).until(ExpectedConditions.textToBePresentInElementLocated(By.className("alert-success"), "Submitted"));
        assertThat(driver.findElement(By.id("artifacts")).getText()).contains(sha256(DIGITS.resolve("digits.pt")));
        browser.screenshot("journey-02-submitted");
    }

    @Test
    @Order(3)
    void aliceCannotApproveHerOwnSubmissionAndAForgedApprovalIsRefused() {
        ChromeDriver driver = browser.driver();
        logInAs("alice");
        driver.get(portal.url("/models/" + MODEL + "/versions/1.0"));
        assertThat(driver.findElements(By.id("approve"))).as("no approve button for the submitter").isEmpty();
        // a forged approval form, with a valid CSRF token, posted from her own session
        driver.executeScript("""
                const form = document.createElement('form');
                form.method = 'post';
                form.action = arguments[0];
                for (const [name, value] of [['_csrf', document.querySelector('meta[name=_csrf]').content],
                        ['reason', 'forced']]) {
                    const input = document.createElement('input');
                    input.type = 'hidden';
                    input.name = name;
                    input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();""", portal.url("/models/" + MODEL + "/versions/1.0/approve"));
        assertThat(waitFor(20).until(ExpectedConditions.visibilityOfElementLocated(By.className("alert-danger")))
                .getText()).contains("Only model approvers approve");
        assertThat(driver.findElement(By.cssSelector(".badge.state-submitted")).getText()).isEqualTo("SUBMITTED");
        assertThat(driver.findElement(By.id("history")).getText()).doesNotContain("APPROVED");
        browser.screenshot("journey-03-no-approval-for-alice");
    }

    @Test
    @Order(4)
    void bobSeesItInHisQueueWithItsLicenseVerdictAndChecksumAndApprovesIt() throws IOException {
        ChromeDriver driver = browser.driver();
        logInAs("bob");
        driver.get(portal.url("/approvals"));
        WebElement queue = driver.findElement(By.id("queue"));
        assertThat(queue.getText()).contains("Handwritten digits CNN").contains("MIT").contains("ALLOWED")
                .contains(sha256(DIGITS.resolve("digits.pt")));
        browser.screenshot("journey-04-approval-queue");
        click(queue.findElement(By.linkText("Review")));
        driver.findElement(By.id("reason")).sendKeys("MIT license; provenance pinned to commit 4f1c2d9.");
        click(By.id("approve"));
        waitFor(20).until(ExpectedConditions.textToBePresentInElementLocated(By.className("alert-success"), "Approved"));
        assertThat(driver.findElement(By.id("history")).getText()).contains("APPROVED by bob");
        browser.screenshot("journey-04-approved");
    }

    @Test
    @Order(5)
    void aliceDeploysItLocallyAndWatchesItTurnReadyWithoutReloading() {
        ChromeDriver driver = browser.driver();
        logInAs("alice");
        driver.get(portal.url("/models/" + MODEL + "/versions/1.0"));
        click(By.id("deploy-version"));
        assertThat(driver.findElement(By.id("name")).getAttribute("value")).as("suggested name").isEqualTo(DEPLOYMENT);
        new Select(driver.findElement(By.id("target"))).selectByValue("LOCAL");
        driver.findElement(By.id("minReplicas")).clear();
        driver.findElement(By.id("minReplicas")).sendKeys("1");
        driver.findElement(By.id("maxReplicas")).clear();
        driver.findElement(By.id("maxReplicas")).sendKeys("2");
        browser.screenshot("journey-05-deploy-form");
        click(By.id("deploy"));

        waitFor(20).until(ExpectedConditions.urlToBe(portal.url("/deployments/" + DEPLOYMENT)));
        driver.executeScript("window.journeyPage = 'not reloaded';");
        waitFor(120).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-live=status]"), "READY"));
        assertThat(driver.executeScript("return window.journeyPage")).as("the status changed in place")
                .isEqualTo("not reloaded");
        assertThat(driver.findElement(By.cssSelector("[data-live=readyReplicas]")).getText()).isEqualTo("1");
        waitFor(5).until(d -> (Boolean) driver.executeScript("""
                const bar = document.querySelector('[data-live=progress]');
                return bar.getBoundingClientRect().width >= bar.parentElement.getBoundingClientRect().width - 1;"""));
        browser.screenshot("journey-05-deployment-ready");
    }

    @Test
    @Order(6)
    void aliceUploadsADigitOnTheTryItPageAndSeesTheRightLabelFirst() throws IOException {
        ChromeDriver driver = browser.driver();
        logInAs("alice");
        driver.get(portal.url("/deployments/" + DEPLOYMENT));
        click(By.id("try-it"));
        driver.findElement(By.id("image")).sendKeys(DIGITS.resolve("test-images/" + IMAGE).toRealPath().toString());
        click(By.id("classify"));
        waitFor(30).until(ExpectedConditions.presenceOfElementLocated(By.id("result")));
        List<WebElement> labels = driver.findElements(By.cssSelector("#result .prediction-label"));
        assertThat(labels).hasSize(5);
        tryItLabel = labels.getFirst().getText();
        assertThat(tryItLabel).isEqualTo(EXPECTED_LABEL);
        browser.screenshot("journey-06-try-it");
    }

    @Test
    @Order(7)
    void aProgramWithAClientCredentialsTokenGetsTheSameAnswerFromTheV2InferEndpoint() throws Exception {
        String body = """
                {"id": "journey-v2", "inputs": [{"name": "input0", "shape": [1, 1, 8, 8], "datatype": "FP32",
                 "data": %s}]}""".formatted(pixels(DIGITS.resolve("test-images/" + IMAGE)));
        HttpResponse<String> response = infer(body, "Bearer " + keycloak.clientToken("inference-client"), "journey-v2");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.path("id").asString()).isEqualTo("journey-v2");
        assertThat(answer.path("model_name").asString()).isEqualTo(MODEL);
        JsonNode logits = answer.path("outputs").get(0).path("data");
        assertThat(logits.size()).isEqualTo(10);
        int best = 0;
        for (int i = 1; i < logits.size(); i++) {
            best = logits.get(i).asDouble() > logits.get(best).asDouble() ? i : best;
        }
        List<String> synset = Files.readAllLines(DIGITS.resolve("synset.txt"));
        assertThat(synset.get(best)).as("the same label as the Try-it page").isEqualTo(tryItLabel);
    }

    @Test
    @Order(8)
    void anUnauthenticatedCallIsRefusedWith401() throws Exception {
        HttpResponse<String> response = infer("{\"inputs\": []}", null, "journey-anonymous");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(json.readTree(response.body()).path("error").asString()).isNotBlank();
    }

    @Test
    @Order(9)
    void carolFindsExactlyTheseCallsInTheAuditTrailVerifiesTheChainsAndExportsThem() throws Exception {
        ChromeDriver driver = browser.driver();
        logInAs("carol");
        driver.get(portal.url("/audit"));
        assertThat(driver.findElement(By.id("current-user")).getText()).contains("Carol Auditor").contains("auditor");
        driver.findElement(By.id("model")).sendKeys(MODEL);
        new Select(driver.findElement(By.id("action"))).selectByValue("INFER");
        click(driver.findElement(By.cssSelector("#audit-filter button[type=submit]")));
        waitFor(20).until(ExpectedConditions.urlContains("model=" + MODEL));
        assertThat(driver.findElement(By.id("total")).getText()).isEqualTo("3");
        List<String> rows = driver.findElements(By.cssSelector("#audit-events tbody tr")).stream()
                .map(WebElement::getText).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).as("the refused call, newest first").contains("anonymous").contains("DENIED").contains("401");
        assertThat(rows.get(1)).contains("inference-client").contains("OK").contains("200");
        assertThat(rows.get(2)).contains("Alice Researcher").contains("OK").contains("200");
        assertThat(driver.findElement(By.cssSelector("[data-outcome=OK]")).getText()).isEqualTo("OK 2");
        assertThat(driver.findElement(By.cssSelector("[data-outcome=DENIED]")).getText()).isEqualTo("DENIED 1");
        browser.screenshot("journey-09-audit-trail");

        String csvUrl = driver.findElement(By.id("export-csv")).getAttribute("href");
        String pdfUrl = driver.findElement(By.id("export-pdf")).getAttribute("href");

        click(By.id("verify-link"));
        click(By.id("verify"));
        waitFor(60).until(ExpectedConditions.presenceOfElementLocated(By.id("verify-intact")));
        browser.screenshot("journey-09-chain-check");

        HttpResponse<String> csv = http.send(download(csvUrl), HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).startsWith("chain_id,seq,");
        assertThat(lines.subList(1, lines.size())).as("the three calls").hasSize(3)
                .allSatisfy(line -> assertThat(line).contains(",INFER," + MODEL + ","));
        assertThat(lines.stream().filter(l -> l.contains(",200,OK,")).count()).isEqualTo(2);
        assertThat(lines.stream().filter(l -> l.contains(",401,DENIED,")).count()).isEqualTo(1);
        assertThat(csv.body()).contains("journey-v2").contains("journey-anonymous");

        HttpResponse<byte[]> pdf = http.send(download(pdfUrl), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("Totals: 3 events, OK 2, CLIENT_ERROR 0, SERVER_ERROR 0, DENIED 1, UNAVAILABLE 0")
                    .contains("carol");
        }
    }

    @Test
    @Order(10)
    void aliceStopsTheDeploymentAndLaterCallsGet503AndAreAudited() throws Exception {
        ChromeDriver driver = browser.driver();
        logInAs("alice");
        driver.get(portal.url("/deployments/" + DEPLOYMENT));
        click(By.id("stop"));
        waitFor(60).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-live=status]"), "STOPPED"));
        browser.screenshot("journey-10-stopped");

        HttpResponse<String> response = infer("{\"inputs\": []}", "Bearer " + keycloak.clientToken("inference-client"),
                "journey-after-stop");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json.readTree(response.body()).path("error").asString()).contains("stopped");

        HttpResponse<String> audited = http.send(HttpRequest.newBuilder(URI.create(portal.url(
                        "/api/audit/events?model=" + MODEL + "&outcome=UNAVAILABLE")))
                .header("Authorization", "Bearer " + keycloak.userToken("carol")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode page = json.readTree(audited.body());
        assertThat(page.path("total").asLong()).as(audited.body()).isEqualTo(1);
        assertThat(page.path("items").get(0).path("requestId").asString()).isEqualTo("journey-after-stop");
        assertThat(page.path("items").get(0).path("httpStatus").asInt()).isEqualTo(503);
    }

    private HttpResponse<String> infer(String body, String authorization, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(portal.url("/v2/models/" + MODEL + "/infer")))
                .header("Content-Type", "application/json").header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A download as the browser would make it: with the browser's session cookie. */
    private static HttpRequest download(String url) {
        String cookies = browser.driver().manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        return HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookies).build();
    }

    /** Logs out whoever is logged in (ending the Keycloak session too) and logs {@code user} in through Keycloak. */
    private static void logInAs(String user) {
        if (user.equals(signedIn)) {
            return;
        }
        ChromeDriver driver = browser.driver();
        if (signedIn != null) {
            driver.get(portal.url("/models"));
            click(By.id("logout"));
            waitFor(20).until(ExpectedConditions.urlContains("/login?logout"));
            signedIn = null;
        }
        driver.get(portal.url("/models"));
        waitFor(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        submitKeycloakLogin(user);
    }

    private static void submitKeycloakLogin(String user) {
        ChromeDriver driver = browser.driver();
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(user + "-dev-password");
        driver.findElement(By.id("kc-login")).click();
        waitFor(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("current-user")));
        signedIn = user;
    }

    private static void upload(String form, Path file) throws IOException {
        WebElement upload = waitFor(20).until(ExpectedConditions.presenceOfElementLocated(By.id(form)));
        upload.findElement(By.name("file")).sendKeys(file.toRealPath().toString());
        click(upload.findElement(By.cssSelector("button[type=submit]")));
        waitFor(30).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#" + form + " .upload-result"),
                "Stored " + file.getFileName()));
        // what a person sees next: the file in the "Uploaded" list, refreshed in place
        waitFor(30).until(ExpectedConditions.textToBePresentInElementLocated(By.id("uploaded"), file.getFileName().toString()));
    }

    private static WebDriverWait waitFor(int seconds) {
        return new WebDriverWait(browser.driver(), Duration.ofSeconds(seconds));
    }

    private static void click(By locator) {
        browser.click(locator);
    }

    private static void click(WebElement element) {
        browser.click(element);
    }

    /** The image as the model's input tensor: grayscale pixels scaled to [0, 1], row-major (as the runtime does). */
    private static String pixels(Path png) throws IOException {
        var raster = ImageIO.read(png.toFile()).getRaster();
        StringBuilder values = new StringBuilder("[");
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                values.append(values.length() > 1 ? ", " : "").append(raster.getSample(x, y, 0) / 255f);
            }
        }
        return values.append(']').toString();
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
