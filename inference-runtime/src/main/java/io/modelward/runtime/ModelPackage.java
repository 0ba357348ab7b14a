package io.modelward.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A verified model, ready to load: the TorchScript file, its labels and its processing. A TorchServe {@code .mar}
 * is unpacked safely first; its {@code image_classifier} handler maps to ModelWard's image classification with
 * ImageNet pre-processing unless the archive carries a {@code modelward.properties}.
 *
 * @param format the model's format, which picks the engine
 */
public record ModelPackage(Path modelFile, List<String> labels, Processing processing, ModelFormat format) {

    private static final long MAX_UNPACKED = 8L << 30;
    private static final int MAX_ENTRIES = 10_000;
    private static final int MAX_RATIO = 200;

    /** The KServe V2 {@code platform}: {@code pytorch_torchscript} or {@code onnx_onnxv1}. */
    public String platform() {
        return format.platform();
    }

    public static ModelPackage open(RuntimeConfig config) {
        Path file = ModelSource.fetch(config.modelUri(), config.sha256(), config.workDir(), config.artifactToken(),
                "model file");
        List<String> labels = List.of();
        if (config.labelsUri() != null) {
            if (config.labelsSha256() == null) {
                throw new StartupException("--labels-sha256 is required with --labels-uri.");
            }
            labels = Labels.read(ModelSource.fetch(config.labelsUri(), config.labelsSha256(), config.workDir(),
                    config.artifactToken(), "labels file"));
        }
        if (config.format() == ModelFormat.TORCHSCRIPT) {
            requireZip(file);
            Processing processing = Processing.load(Map.of(), config.propertiesFile(), config.processing());
            return new ModelPackage(file, labels, processing, ModelFormat.TORCHSCRIPT);
        }
        if (config.format() == ModelFormat.ONNX) {
            // ONNX Runtime reads (and refuses) the file itself; a zip here is a TorchScript or .mar given the wrong format
            if (isZip(file)) {
                throw new StartupException("The model file is a zip archive, not an ONNX model: give --format "
                        + "TORCHSCRIPT or MAR.");
            }
            Processing processing = Processing.load(Map.of(), config.propertiesFile(), config.processing());
            return new ModelPackage(file, labels, processing, ModelFormat.ONNX);
        }
        return openMar(file, labels, config);
    }

    private static ModelPackage openMar(Path mar, List<String> labels, RuntimeConfig config) {
        Path dir = config.workDir().resolve("mar-" + config.sha256().substring(0, 16));
        unpack(mar, dir);
        Path manifestFile = dir.resolve("MAR-INF/MANIFEST.json");
        if (!Files.isRegularFile(manifestFile)) {
            throw new StartupException("The .mar archive has no MAR-INF/MANIFEST.json.");
        }
        JsonNode model;
        try {
            model = JsonMapper.builder().build().readTree(Files.readString(manifestFile)).path("model");
        }
        catch (IOException | JacksonException ex) {
            throw new StartupException("The .mar archive's MANIFEST.json is not valid JSON.", ex);
        }
        String serialized = model.path("serializedFile").asString("");
        String handler = model.path("handler").asString("");
        if (serialized.isBlank() || !Files.isRegularFile(dir.resolve(serialized).normalize())
                || !dir.resolve(serialized).normalize().startsWith(dir)) {
            throw new StartupException("The .mar manifest names serializedFile '" + serialized
                    + "', which the archive does not contain.");
        }
        if (!handler.equals("image_classifier") && !handler.endsWith("/image_classifier")) {
            throw new StartupException("The .mar handler '" + handler + "' is not supported: ModelWard runs "
                    + "TorchServe's image_classifier handler (custom Python handlers cannot run here).");
        }
        Path modelFile = dir.resolve(serialized).normalize();
        requireZip(modelFile);
        Path indexToName = dir.resolve("index_to_name.json");
        if (labels.isEmpty() && Files.isRegularFile(indexToName)) {
            labels = Labels.read(indexToName);
        }
        Path properties = dir.resolve("modelward.properties");
        Processing processing = Processing.load(Processing.IMAGENET,
                Files.isRegularFile(properties) ? properties : config.propertiesFile(), config.processing());
        return new ModelPackage(modelFile, labels, processing, ModelFormat.MAR);
    }

    /** Unpacks an archive, refusing entries that escape the directory and archives that inflate absurdly. */
    static void unpack(Path archive, Path dir) {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Files.createDirectories(dir);
            long total = 0;
            int count = 0;
            byte[] buffer = new byte[64 * 1024];
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (++count > MAX_ENTRIES) {
                    throw new StartupException("The archive has more than " + MAX_ENTRIES + " entries.");
                }
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir) || entry.getName().contains("\\") || entry.getName().startsWith("/")) {
                    throw new StartupException("The archive entry '" + entry.getName() + "' escapes the archive root: "
                            + "refusing to unpack it.");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
                    long written = 0;
                    int n;
                    while ((n = in.read(buffer)) != -1) {
                        written += n;
                        total += n;
                        if (total > MAX_UNPACKED || (written > (1 << 20)
                                && written > (long) MAX_RATIO * Math.max(entry.getCompressedSize(), 1))) {
                            throw new StartupException("The archive inflates absurdly (entry '" + entry.getName()
                                    + "'), as zip bombs do: refusing to unpack it.");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        }
        catch (ZipException ex) {
            throw new StartupException("The model archive is corrupt: " + ex.getMessage(), ex);
        }
        catch (IOException ex) {
            throw new StartupException("Cannot unpack the model archive: " + ex.getMessage(), ex);
        }
    }

    private static void requireZip(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.stream().noneMatch(e -> e.getName().endsWith("data.pkl"))) {
                throw new StartupException("The model file " + file.getFileName() + " is not a TorchScript archive.");
            }
        }
        catch (IOException ex) {
            throw new StartupException("The model file " + file.getFileName() + " is corrupt or not a TorchScript "
                    + "archive: " + ex.getMessage(), ex);
        }
    }

    private static boolean isZip(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
        catch (IOException ex) {
            throw new StartupException("The model file " + file.getFileName() + " cannot be read: " + ex.getMessage(),
                    ex);
        }
    }

    /** The label of a class index, or the index itself when the model has no labels. */
    public String label(int index) {
        return index < labels.size() ? labels.get(index) : String.valueOf(index);
    }

}
