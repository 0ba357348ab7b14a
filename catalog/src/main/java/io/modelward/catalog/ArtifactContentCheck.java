package io.modelward.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipFile;

import io.modelward.catalog.store.ZipInspector;
import io.modelward.governance.ProblemException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks that an uploaded file is what its kind and format claim: a TorchScript archive, a TorchServe {@code .mar}
 * with a manifest naming a file it holds, or a labels file a runtime can read. Zip-based files are checked for safety
 * first.
 */
final class ArtifactContentCheck {

    private static final int MAX_LABEL_LINE = 1000;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final ZipInspector zips;

    ArtifactContentCheck(ZipInspector zips) {
        this.zips = zips;
    }

    /** Throws a 400/415 problem when the file name cannot hold this kind of artifact. */
    static void requireFileName(String fileName, ArtifactKind kind, ModelFormat format) {
        if (fileName.isBlank() || fileName.length() > 255 || fileName.contains("/") || fileName.contains("\\")
                || fileName.chars().anyMatch(Character::isISOControl) || fileName.startsWith(".")) {
            throw ProblemException.invalid("invalid-file-name", "The file name must be 1 to 255 characters, with no "
                    + "path separators or control characters, and must not start with '.'.");
        }
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (kind == ArtifactKind.MODEL && !format.accepts(fileName)) {
            throw ProblemException.unsupported("'" + fileName + "' is not a " + format.label() + " file: expected "
                    + String.join(", ", format.extensions()) + ".");
        }
        if (kind == ArtifactKind.LABELS && !(lower.endsWith(".txt") || lower.endsWith(".json"))) {
            throw ProblemException.unsupported("'" + fileName + "' is not a labels file: expected a .txt file with one "
                    + "label per line, or index_to_name.json.");
        }
    }

    /**
     * Throws a problem when the file is not what its kind and format promise; returns the signature read from an ONNX
     * model (TorchScript and .mar files record none), else null.
     */
    @Nullable ModelSignature requireValidContent(Path file, String fileName, ArtifactKind kind, ModelFormat format)
            throws IOException {
        if (kind == ArtifactKind.LABELS) {
            if (fileName.toLowerCase(Locale.ROOT).endsWith(".json")) {
                requireIndexToName(file, fileName);
            }
            else {
                requireLabelLines(file, fileName);
            }
            return null;
        }
        if (format == ModelFormat.ONNX) {
            return OnnxModelReader.read(file, fileName);
        }
        List<String> entries = zips.inspect(file, "'" + fileName + "'");
        switch (format) {
            case TORCHSCRIPT -> requireTorchScript(entries, fileName);
            case MAR -> requireMar(file, entries, fileName);
            case ONNX -> throw new IllegalStateException("ONNX is read above");
        }
        return null;
    }

    private static void requireTorchScript(List<String> entries, String fileName) {
        boolean data = entries.stream().anyMatch(e -> e.endsWith("/data.pkl"));
        boolean code = entries.stream().anyMatch(e -> e.contains("/code/"));
        if (data && !code) {
            throw ProblemException.unprocessable("not-torchscript", "'" + fileName + "' holds tensors but no code: it "
                    + "looks like a torch.save() checkpoint. Export the model with torch.jit.script or torch.jit.trace "
                    + "and torch.jit.save.");
        }
        if (!data) {
            throw ProblemException.unprocessable("not-torchscript", "'" + fileName + "' is a zip archive but not a "
                    + "TorchScript model (no data.pkl).");
        }
    }

    private static void requireMar(Path file, List<String> entries, String fileName) throws IOException {
        if (!entries.contains("MAR-INF/MANIFEST.json")) {
            throw ProblemException.unprocessable("invalid-mar", "'" + fileName + "' has no MAR-INF/MANIFEST.json, so "
                    + "it is not a TorchServe model archive.");
        }
        JsonNode manifest;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            manifest = JSON.readTree(zip.getInputStream(zip.getEntry("MAR-INF/MANIFEST.json")));
        }
        catch (JacksonException ex) {
            throw ProblemException.unprocessable("invalid-mar", "The MANIFEST.json of '" + fileName
                    + "' is not valid JSON.");
        }
        JsonNode model = manifest.path("model");
        String serialized = model.path("serializedFile").asString("");
        String handler = model.path("handler").asString("");
        if (serialized.isBlank() || handler.isBlank()) {
            throw ProblemException.unprocessable("invalid-mar", "The MANIFEST.json of '" + fileName + "' must name "
                    + "model.serializedFile and model.handler.");
        }
        if (!entries.contains(serialized)) {
            throw ProblemException.unprocessable("invalid-mar", "The MANIFEST.json of '" + fileName + "' names "
                    + "serializedFile '" + serialized + "', which the archive does not contain.");
        }
    }

    private static void requireLabelLines(Path file, String fileName) throws IOException {
        String text = utf8(file, fileName);
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw ProblemException.unprocessable("invalid-labels", "'" + fileName + "' has no labels.");
        }
        if (lines.stream().anyMatch(l -> l.length() > MAX_LABEL_LINE)) {
            throw ProblemException.unprocessable("invalid-labels", "'" + fileName + "' has a line longer than "
                    + MAX_LABEL_LINE + " characters: is it really a labels file?");
        }
    }

    private static void requireIndexToName(Path file, String fileName) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(utf8(file, fileName));
        }
        catch (JacksonException ex) {
            throw ProblemException.unprocessable("invalid-labels", "'" + fileName + "' is not valid JSON.");
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw ProblemException.unprocessable("invalid-labels", "'" + fileName + "' must be a JSON object mapping "
                    + "class indexes to labels, e.g. {\"0\": \"cat\"}.");
        }
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            boolean index = e.getKey().matches("\\d{1,9}");
            JsonNode v = e.getValue();
            boolean label = v.isString() || (v.isArray() && !v.isEmpty() && v.get(v.size() - 1).isString());
            if (!index || !label) {
                throw ProblemException.unprocessable("invalid-labels", "'" + fileName + "' maps '" + e.getKey()
                        + "' to something that is not a label: keys must be class indexes and values labels.");
            }
        }
    }

    private static String utf8(Path file, String fileName) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        }
        catch (CharacterCodingException ex) {
            throw ProblemException.unprocessable("invalid-labels", "'" + fileName + "' is not UTF-8 text.");
        }
    }
}
