package io.modelward.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.modelward.runtime.engine.ServedModel;
import io.modelward.runtime.metrics.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime refuses to start on anything but the exact, safe model it was told to serve. */
class StartupTest {

    @TempDir
    Path dir;

    @Test
    void refusesAModelWhoseChecksumDiffers() throws Exception {
        List<String> args = Digits.args();
        args.replaceAll(a -> a.startsWith("--sha256=") ? "--sha256=" + "ab".repeat(32) : a);
        assertRefused(args, "has SHA-256 " + Digits.sha256(Digits.MODEL) + ", not the expected " + "ab".repeat(32));
    }

    @Test
    void refusesAMissingModelFile() throws Exception {
        List<String> args = new ArrayList<>(Digits.args());
        args.replaceAll(a -> a.startsWith("--model-uri=") ? "--model-uri=" + dir.resolve("gone.pt").toUri() : a);
        assertRefused(args, "does not exist");
    }

    @Test
    void refusesAFileThatIsNotTorchScript() throws Exception {
        Path fake = Files.writeString(dir.resolve("fake.pt"), "not a model");
        assertRefused(List.of("--model-uri=" + fake.toUri(), "--sha256=" + Digits.sha256(fake), "--port=0"),
                "corrupt or not a TorchScript archive");
    }

    @Test
    void refusesAnArchiveEntryThatEscapesItsDirectory() throws Exception {
        Path mar = Digits.mar(dir, Map.of("../../escaped.txt", "x".getBytes(StandardCharsets.UTF_8)));
        assertRefused(List.of("--model-uri=" + mar.toUri(), "--sha256=" + Digits.sha256(mar), "--port=0",
                "--work-dir=" + dir.resolve("work")), "escapes the archive root");
        assertThat(dir.resolve("escaped.txt")).doesNotExist();
    }

    @Test
    void refusesAnArchiveWithACustomPythonHandler() throws Exception {
        Path mar = Digits.mar(dir, Map.of());
        byte[] bytes = Files.readAllBytes(mar);
        Path custom = dir.resolve("custom.mar");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(custom));
                var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
            java.util.zip.ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                byte[] content = in.readAllBytes();
                if (e.getName().equals("MAR-INF/MANIFEST.json")) {
                    content = new String(content, StandardCharsets.UTF_8).replace("image_classifier", "my_handler.py")
                            .getBytes(StandardCharsets.UTF_8);
                }
                zip.write(content);
            }
        }
        assertRefused(List.of("--model-uri=" + custom.toUri(), "--sha256=" + Digits.sha256(custom), "--port=0",
                "--work-dir=" + dir.resolve("work")), "handler 'my_handler.py' is not supported");
    }

    @Test
    void servesTensorsWithoutProcessingPropertiesAndSkipsTheWarmUp() throws Exception {
        RuntimeConfig config = RuntimeConfig.parse(new String[] { "--model-uri=" + Digits.MODEL,
                "--sha256=" + Digits.sha256(Digits.MODEL), "--workers=1", "--port=0" }, Map.of());
        try (ServedModel model = ServedModel.load(config, new Metrics("digits"))) {
            assertThat(model.outputs()).isEmpty();
            var out = model.infer(List.of(new io.modelward.runtime.engine.Tensor("input0",
                    io.modelward.runtime.engine.Datatype.FP32, new long[] { 1, 1, 8, 8 },
                    Digits.samples().getFirst().pixels()))).get().getFirst();
            assertThat(out.shape()).containsExactly(1, 10);
        }
    }

    @Test
    void takesProcessingSettingsFromTheEnvironment() {
        RuntimeConfig config = RuntimeConfig.parse(new String[] { "--model-uri=/m.pt", "--sha256=" + "0".repeat(64),
                "--image-resize=300" }, Map.of("MODELWARD_IMAGE_CROP", "224", "MODELWARD_IMAGE_RESIZE", "256"));
        assertThat(config.processing()).containsEntry("image.crop", "224").containsEntry("image.resize", "300");
    }

    @Test
    void refusesAFileUriThatIsNotAbsolute() throws Exception {
        assertRefused(List.of("--model-uri=file:digits.pt", "--sha256=" + Digits.sha256(Digits.MODEL), "--port=0"),
                "is not an absolute file: URI");
    }

    @Test
    void explainsBadFlags() {
        assertThatThrownBy(() -> RuntimeConfig.parse(new String[] { "--sha256=abc" }, Map.of()))
                .hasMessageContaining("--model-uri (or MODELWARD_MODEL_URI) is required");
        assertThatThrownBy(() -> RuntimeConfig.parse(new String[] { "--model-uri=ftp://x/m.pt",
                "--sha256=" + "0".repeat(64) }, Map.of())).hasMessageContaining("file:, http: or https:");
        assertThatThrownBy(() -> RuntimeConfig.parse(new String[] { "--model-uri=/m.pt", "--sha256=12" }, Map.of()))
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> RuntimeConfig.parse(new String[] { "--model-uri=/m.pt", "--sha256=" + "0".repeat(64),
                "--workers=none" }, Map.of())).hasMessageContaining("--workers must be a whole number");
        RuntimeConfig fromEnv = RuntimeConfig.parse(new String[0], Map.of("MODELWARD_MODEL_URI", "/models/resnet.pt",
                "MODELWARD_SHA256", "0".repeat(64), "MODELWARD_BATCH_SIZE", "16"));
        assertThat(fromEnv.modelName()).isEqualTo("resnet");
        assertThat(fromEnv.batchSize()).isEqualTo(16);
    }

    @Test
    void theProcessExitsWithCode2AndTheReasonOnAChecksumMismatch() throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                RuntimeMain.class.getName()));
        command.addAll(Digits.args());
        command.replaceAll(a -> a.startsWith("--sha256=") ? "--sha256=" + "cd".repeat(32) : a);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("Refusing to start").contains("not the expected " + "cd".repeat(32));
    }

    @Test
    void stopsOnSigtermAfterServingWhatIsQueued() throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp",
                System.getProperty("java.class.path"), RuntimeMain.class.getName()));
        command.addAll(Digits.args("--workers=1"));
        Path log = dir.resolve("runtime.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains(" ready on port ") && System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("runtime alive while starting: " + Files.readString(log)).isTrue();
                Thread.sleep(100);
            }
            assertThat(Files.readString(log)).contains(" ready on port ");
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(Files.readString(log)).contains("Stopping: draining");
        }
        finally {
            process.destroyForcibly();
        }
    }

    private void assertRefused(List<String> args, String reason) {
        assertThatThrownBy(() -> ServedModel.load(RuntimeConfig.parse(args.toArray(String[]::new), Map.of()),
                new Metrics("m"))).isInstanceOf(StartupException.class).hasMessageContaining(reason);
    }
}
