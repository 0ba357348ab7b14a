package io.modelward.catalog;

import static io.modelward.catalog.CatalogServiceTest.assertProblem;
import static io.modelward.catalog.Fixtures.ALICE;
import static io.modelward.catalog.Fixtures.ERIN;
import static io.modelward.catalog.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.modelward.CatalogTestApplication;
import io.modelward.catalog.store.ArtifactStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Bad uploads: each gets a precise error, and none leaves a row, a stored file or a staging file behind. The test
 * configuration limits model files to 256 KiB, labels to 4 KiB and unpacked archives to 4 MiB.
 */
@SpringBootTest(classes = CatalogTestApplication.class)
class ArtifactUploadTest {

    @Autowired
    CatalogService catalog;

    @Autowired
    ArtifactService artifacts;

    @Autowired
    ArtifactStore store;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CatalogQueries queries;

    static final Path DIGITS_ONNX = Path.of(System.getProperty("modelward.models.dir", "../tools/models"),
            "digits", "digits.onnx");

    String model;

    @BeforeEach
    void draft() {
        model = Fixtures.uniqueName("up");
        catalog.registerModel(ALICE, Fixtures.model(model));
        catalog.registerVersion(ALICE, model, Fixtures.version("1.0", "MIT"));
    }

    @Test
    void storesAValidUploadUnderItsContentAddress() throws IOException {
        byte[] file = Fixtures.torchScript();
        ArtifactInfo info = upload(ArtifactKind.MODEL, "digits.pt", Fixtures.sha256(file), file);
        assertThat(info.sha256()).isEqualTo(Fixtures.sha256(file));
        assertThat(info.sizeBytes()).isEqualTo(file.length);
        assertThat(Files.readAllBytes(store.path(info.sha256()))).isEqualTo(file);
        try (ArtifactContent content = artifacts.open(model, "1.0", ArtifactKind.MODEL)) {
            assertThat(content.stream().readAllBytes()).isEqualTo(file);
        }
    }

    @Test
    void replacesAnEarlierUploadOfTheSameKind() throws IOException {
        upload(ArtifactKind.LABELS, "synset.txt", null, bytes("zero\none\n"));
        ArtifactInfo second = upload(ArtifactKind.LABELS, "synset.txt", null, bytes("zero\none\ntwo\n"));
        assertThat(rows()).isEqualTo(1);
        assertThat(artifacts.open(model, "1.0", ArtifactKind.LABELS).info()).isEqualTo(second);
    }

    @Test
    void acceptsAMarWhoseManifestNamesItsModelFile() throws IOException {
        bumpModelFormat();
        byte[] mar = mar("{\"model\":{\"serializedFile\":\"digits.pt\",\"handler\":\"image_classifier\"}}", true);
        assertThat(upload(ArtifactKind.MODEL, "digits.mar", null, mar).fileName()).isEqualTo("digits.mar");
    }

    @Test
    void readsTheSignatureOfAnOnnxModelAtUpload() throws IOException {
        onnxVersion();
        byte[] onnx = Files.readAllBytes(DIGITS_ONNX);
        upload(ArtifactKind.MODEL, "digits.onnx", Fixtures.sha256(onnx), onnx);
        ModelSignature signature = queries.version(model, "1.0").signature();
        assertThat(signature.source()).isEqualTo(ModelSignature.FROM_MODEL);
        assertThat(signature.inputs()).containsExactly(new ModelSignature.Tensor("input0", "FP32", List.of(-1L, 1L, 8L, 8L)));
        assertThat(signature.outputs()).containsExactly(new ModelSignature.Tensor("output0", "FP32", List.of(-1L, 10L)));
    }

    @Test
    void givesTorchScriptTheRuntimesNamesAndTheShapeOfItsInputSpec() throws IOException {
        byte[] file = Fixtures.torchScript();
        upload(ArtifactKind.MODEL, "digits.pt", null, file);
        ModelSignature signature = queries.version(model, "1.0").signature();
        assertThat(signature.source()).isEqualTo(ModelSignature.DEFAULT);
        assertThat(signature.inputs().getFirst().name()).isEqualTo("input0");
        assertThat(signature.outputs().getFirst().name()).isEqualTo("output0");
    }

    @Test
    void rejectsAnOnnxFileThatDoesNotParse() {
        onnxVersion();
        rejected(ArtifactKind.MODEL, "digits.onnx", null, bytes("definitely not a protobuf graph"), 422,
                "is not a usable ONNX model");
    }

    @Test
    void rejectsAnOnnxFileWithoutAGraph() throws IOException {
        onnxVersion();
        // a valid ModelProto holding only ir_version (field 1) and producer_name (field 2)
        byte[] noGraph = { 0x08, 0x07, 0x12, 0x03, 'm', 'w', 'd' };
        rejected(ArtifactKind.MODEL, "empty.onnx", null, noGraph, 422, "it has no graph");
        byte[] truncated = java.util.Arrays.copyOf(Files.readAllBytes(DIGITS_ONNX), 40_000);
        rejected(ArtifactKind.MODEL, "cut.onnx", null, truncated, 422, "is not a usable ONNX model");
        rejected(ArtifactKind.MODEL, "digits.onnx", null, Fixtures.torchScript(), 422, "is not a usable ONNX model");
    }

    @Test
    void acceptsIndexToNameJsonLabels() throws IOException {
        byte[] json = bytes("{\"0\": \"zero\", \"1\": [\"n01\", \"one\"]}");
        assertThat(upload(ArtifactKind.LABELS, "index_to_name.json", null, json).sizeBytes()).isEqualTo(json.length);
    }

    @Test
    void rejectsUploadWhenChecksumDiffers() {
        byte[] file = Fixtures.torchScript();
        rejected(ArtifactKind.MODEL, "digits.pt", "0".repeat(64), file, 422, "not the declared");
    }

    @Test
    void rejectsADeclaredChecksumThatIsNotSha256() {
        rejected(ArtifactKind.MODEL, "digits.pt", "abc123", Fixtures.torchScript(), 400, "64 hex digits");
    }

    @Test
    void rejectsAnEmptyUpload() {
        rejected(ArtifactKind.MODEL, "digits.pt", null, new byte[0], 400, "empty");
    }

    @Test
    void rejectsAnUploadOverTheLimitWhileItStreams() {
        InputStream endless = new InputStream() {
            long sent;

            @Override
            public int read() {
                return ++sent > 10L * 1024 * 1024 ? -1 : 'x';
            }
        };
        assertProblem(() -> artifacts.upload(ALICE, model, "1.0", ArtifactKind.MODEL, "big.pt", null, -1, endless), 413,
                "larger than the limit of 256 KiB");
        assertNothingStored();
    }

    @Test
    void rejectsAnUploadWhoseDeclaredLengthIsOverTheLimitWithoutReadingIt() {
        InputStream unread = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body must not be read");
            }
        };
        assertProblem(() -> artifacts.upload(ALICE, model, "1.0", ArtifactKind.MODEL, "big.pt", null, 5L << 30, unread),
                413, "larger than the limit");
        assertNothingStored();
    }

    @Test
    void rejectsALabelsFileOverItsOwnLimit() {
        rejected(ArtifactKind.LABELS, "synset.txt", null, bytes("label\n".repeat(2000)), 413, "4 KiB");
    }

    @Test
    void rejectsAnArchiveEntryThatEscapesTheRoot() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("digits/data.pkl", bytes("x"));
        entries.put("digits/code/m.py", bytes("x"));
        entries.put("../../etc/cron.d/evil", bytes("* * * * * root rm -rf /"));
        rejected(ArtifactKind.MODEL, "digits.pt", null, Fixtures.zip(entries), 422, "escapes the archive root");
    }

    @Test
    void rejectsAnAbsoluteArchiveEntryPath() {
        rejected(ArtifactKind.MODEL, "digits.pt", null, Fixtures.zip(Map.of("/etc/passwd", bytes("root"))), 422,
                "escapes the archive root");
    }

    @Test
    void rejectsAZipBomb() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("digits/data.pkl", bytes("x"));
        entries.put("digits/code/m.py", bytes("x"));
        entries.put("digits/data/0", new byte[3 * 1024 * 1024]);
        rejected(ArtifactKind.MODEL, "digits.pt", null, Fixtures.zip(entries), 422, "compression ratio");
    }

    @Test
    void rejectsAFileThatIsNotAZipArchive() {
        rejected(ArtifactKind.MODEL, "digits.pt", null, bytes("#!/bin/sh\necho not a model\n"), 422,
                "not a readable zip");
    }

    @Test
    void rejectsACheckpointThatIsNotTorchScript() {
        rejected(ArtifactKind.MODEL, "weights.pt", null, Fixtures.zip(Map.of("weights/data.pkl", bytes("x"))), 422,
                "torch.save");
    }

    @Test
    void rejectsAnUnsupportedFileType() {
        rejected(ArtifactKind.MODEL, "model.onnx", null, Fixtures.torchScript(), 415, "not a TorchScript file");
        rejected(ArtifactKind.LABELS, "labels.csv", null, bytes("a,b"), 415, "not a labels file");
    }

    @Test
    void rejectsAFileNameWithAPath() {
        rejected(ArtifactKind.MODEL, "../digits.pt", null, Fixtures.torchScript(), 400, "path separators");
    }

    @Test
    void rejectsAMarWithoutManifest() {
        bumpModelFormat();
        rejected(ArtifactKind.MODEL, "digits.mar", null, Fixtures.zip(Map.of("digits.pt", bytes("x"))), 422,
                "MANIFEST.json");
    }

    @Test
    void rejectsAMarWhoseManifestNamesAMissingFile() {
        bumpModelFormat();
        byte[] mar = mar("{\"model\":{\"serializedFile\":\"other.pt\",\"handler\":\"image_classifier\"}}", true);
        rejected(ArtifactKind.MODEL, "digits.mar", null, mar, 422, "does not contain");
    }

    @Test
    void rejectsLabelsThatAreNotUtf8() {
        rejected(ArtifactKind.LABELS, "synset.txt", null, new byte[] {(byte) 0xC3, (byte) 0x28, 'a'}, 422, "UTF-8");
    }

    @Test
    void rejectsIndexToNameThatIsNotAMapOfLabels() {
        rejected(ArtifactKind.LABELS, "index_to_name.json", null, bytes("{\"zero\": 0}"), 422, "class indexes");
        rejected(ArtifactKind.LABELS, "index_to_name.json", null, bytes("[1, 2"), 422, "not valid JSON");
    }

    @Test
    void rejectsUploadsByAnyoneButTheOwner() {
        byte[] file = Fixtures.torchScript();
        assertProblem(() -> artifacts.upload(ERIN, model, "1.0", ArtifactKind.MODEL, "d.pt", null, file.length,
                new ByteArrayInputStream(file)), 403, "owner");
        assertNothingStored();
        assertThat(jdbc.sql("SELECT detail FROM audit_event WHERE model = ? AND action = 'ARTIFACT_UPLOADED' AND "
                + "outcome = 'DENIED' AND actor_subject = ?").params(model, ERIN.subject()).query(String.class).list())
                .as("the refusal, on the trail").singleElement().asString().contains("Only the owner of model");
    }

    @Test
    void rejectsUploadsOnceTheVersionIsSubmitted() throws IOException {
        byte[] file = Fixtures.torchScript();
        upload(ArtifactKind.MODEL, "digits.pt", null, file);
        catalog.submit(ALICE, model, "1.0");
        byte[] other = bytes("zero\n");
        assertProblem(() -> upload(ArtifactKind.LABELS, "synset.txt", null, other), 409, "DRAFT");
        assertThat(rows()).isEqualTo(1);
        assertThat(store.contains(Fixtures.sha256(other))).isFalse();
    }

    @Test
    void rejectsUploadsToAnUnknownVersion() {
        assertProblem(() -> artifacts.upload(ALICE, model, "9.9", ArtifactKind.MODEL, "d.pt", null, 1,
                new ByteArrayInputStream(new byte[1])), 404, "no version '9.9'");
    }

    private ArtifactInfo upload(ArtifactKind kind, String fileName, String sha, byte[] content) throws IOException {
        return artifacts.upload(ALICE, model, "1.0", kind, fileName, sha, content.length,
                new ByteArrayInputStream(content));
    }

    private void rejected(ArtifactKind kind, String fileName, String sha, byte[] content, int status, String detail) {
        assertProblem(() -> upload(kind, fileName, sha, content), status, detail);
        assertNothingStored();
        if (content.length > 0) {
            assertThat(store.contains(Fixtures.sha256(content))).as("stored file").isFalse();
        }
    }

    private void assertNothingStored() {
        assertThat(rows()).as("artifact rows").isZero();
        try (Stream<Path> staging = Files.list(store.root().resolve("staging"))) {
            assertThat(staging).as("staging files").isEmpty();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE model = ? AND action = 'ARTIFACT_UPLOADED' "
                + "AND outcome = 'OK'").param(model).query(Long.class).single()).as("audit rows").isZero();
    }

    private long rows() {
        return jdbc.sql("SELECT count(*) FROM artifact a JOIN model_version v ON v.id = a.version_id "
                + "JOIN model m ON m.id = v.model_id WHERE m.name = ?").param(model).query(Long.class).single();
    }

    private void onnxVersion() {
        model = Fixtures.uniqueName("onnx");
        catalog.registerModel(ALICE, Fixtures.model(model));
        catalog.registerVersion(ALICE, model, new RegisterVersion("1.0", ModelFormat.ONNX, "MIT", Provenance.uploaded(),
                ImageInputSpec.NONE));
    }

    private void bumpModelFormat() {
        model = Fixtures.uniqueName("mar");
        catalog.registerModel(ALICE, Fixtures.model(model));
        catalog.registerVersion(ALICE, model, new RegisterVersion("1.0", ModelFormat.MAR, "MIT", Provenance.uploaded(),
                ImageInputSpec.NONE));
    }

    private static byte[] mar(String manifest, boolean withModel) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("MAR-INF/MANIFEST.json", bytes(manifest));
        if (withModel) {
            entries.put("digits.pt", Fixtures.torchScript());
        }
        entries.put("index_to_name.json", bytes("{\"0\": \"zero\"}"));
        return Fixtures.zip(entries);
    }
}
