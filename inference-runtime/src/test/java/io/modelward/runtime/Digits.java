package io.modelward.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The committed digits model (tools/models/digits), its test images and the logits PyTorch computed for them.
 */
public final class Digits {

    public static final Path DIR = Path.of(System.getProperty("modelward.models.dir", "../tools/models"), "digits");
    public static final Path MODEL = DIR.resolve("digits.pt");
    /** The same network exported to ONNX by tools/models/export_onnx.py. */
    public static final Path ONNX = DIR.resolve("digits.onnx");
    public static final Path LABELS = DIR.resolve("synset.txt");
    public static final Path PROPERTIES = DIR.resolve("digits.properties");

    private Digits() {
    }

    /** One test image with the label and the logits PyTorch gives for it. */
    public record Sample(String file, int label, int predicted, float[] logits) {

        public byte[] png() throws IOException {
            return Files.readAllBytes(DIR.resolve("test-images").resolve(file));
        }

        /** The pixels scaled to [0, 1], as the model's input is: 64 values, row-major. */
        public float[] pixels() throws IOException {
            var raster = ImageIO.read(DIR.resolve("test-images").resolve(file).toFile()).getRaster();
            float[] values = new float[64];
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    values[y * 8 + x] = raster.getSample(x, y, 0) / 255f;
                }
            }
            return values;
        }
    }

    public static List<Sample> samples() throws IOException {
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(DIR.resolve("expected.json")));
        List<Sample> samples = new ArrayList<>();
        for (JsonNode image : root.path("images")) {
            float[] logits = new float[image.path("logits").size()];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = (float) image.path("logits").get(i).asDouble();
            }
            samples.add(new Sample(image.path("file").asString(), image.path("label").asInt(),
                    image.path("predicted").asInt(), logits));
        }
        return samples;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(in.readAllBytes());
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Flags that serve the committed digits model from its files. */
    public static List<String> args(String... extra) throws IOException {
        return args(MODEL, extra);
    }

    /** Flags that serve the committed digits model, as TorchScript or ONNX. */
    public static List<String> args(Path model, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--model-uri=" + model.toUri(), "--sha256=" + sha256(model),
                "--labels-uri=" + LABELS.toUri(), "--labels-sha256=" + sha256(LABELS),
                "--properties=" + PROPERTIES, "--host=127.0.0.1", "--port=0"));
        args.addAll(List.of(extra));
        return args;
    }

    /**
     * A TorchServe archive of the digits model, laid out as torch-model-archiver writes it: the manifest naming the
     * serialized file and the image_classifier handler, index_to_name.json, and ModelWard's processing properties.
     */
    public static Path mar(Path dir, Map<String, byte[]> extra) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "MAR-INF/MANIFEST.json", """
                    {"createdOn": "25/11/2026 10:00:00", "runtime": "python", "archiverVersion": "0.12.0",
                     "model": {"modelName": "digits", "serializedFile": "digits.pt", "handler": "image_classifier",
                               "modelVersion": "1.0"}}""".getBytes());
            put(zip, "digits.pt", Files.readAllBytes(MODEL));
            StringBuilder indexToName = new StringBuilder("{");
            for (int i = 0; i < 10; i++) {
                indexToName.append(i == 0 ? "" : ", ").append('"').append(i).append("\": \"digit-").append(i)
                        .append('"');
            }
            put(zip, "index_to_name.json", indexToName.append('}').toString().getBytes());
            put(zip, "modelward.properties", Files.readAllBytes(PROPERTIES));
            for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                put(zip, e.getKey(), e.getValue());
            }
        }
        Files.createDirectories(dir);
        return Files.write(dir.resolve("digits.mar"), bytes.toByteArray());
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}
