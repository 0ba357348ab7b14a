package io.modelward.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * Pre- and post-processing of a model, from a properties file and flags:
 * <pre>
 * image.resize=256            resize so the shorter side has this many pixels (0: no resize)
 * image.crop=224              centre-crop to this square (0: no crop)
 * image.grayscale=false       one luminance channel instead of RGB
 * image.mean=0.485,0.456,0.406  per-channel mean, on pixels scaled to [0, 1]
 * image.std=0.229,0.224,0.225   per-channel std
 * input.name=input0  input.shape=-1,3,224,224  input.datatype=FP32   (for V2 metadata)
 * output.name=output0  output.softmax=true  output.topk=5
 * </pre>
 */
public record Processing(int resize, int crop, boolean grayscale, float[] mean, float[] std, String inputName,
        long[] inputShape, String inputDatatype, String outputName, boolean softmax, int topK) {

    /** ImageNet-style defaults, as TorchServe's image_classifier handler uses. */
    static final Map<String, String> IMAGENET = Map.of("image.resize", "256", "image.crop", "224",
            "image.mean", "0.485,0.456,0.406", "image.std", "0.229,0.224,0.225", "input.shape", "-1,3,224,224");

    /** The same processing for a model that names its own input and first output (ONNX reads them from the graph). */
    public Processing withModelSignature(String input, long[] shape, String datatype, String output) {
        return new Processing(resize, crop, grayscale, mean, std, input, shape.clone(), datatype, output, softmax,
                topK);
    }

    public int channels() {
        return grayscale ? 1 : 3;
    }

    /** Whether the image endpoint can be used: it needs a fixed image size. */
    public boolean takesImages() {
        return crop > 0 || resize > 0;
    }

    static Processing load(Map<String, String> defaults, @Nullable Path file, Map<String, String> overrides) {
        Properties p = new Properties();
        p.putAll(defaults);
        if (file != null) {
            try (Reader in = Files.newBufferedReader(file)) {
                p.load(in);
            }
            catch (IOException ex) {
                throw new StartupException("Cannot read the processing properties " + file + ": " + ex.getMessage(), ex);
            }
        }
        p.putAll(overrides);
        boolean gray = Boolean.parseBoolean(p.getProperty("image.grayscale", "false"));
        int channels = gray ? 1 : 3;
        float[] mean = floats(p, "image.mean", channels, 0f);
        float[] std = floats(p, "image.std", channels, 1f);
        for (float s : std) {
            if (!(s > 0)) {
                throw new StartupException("image.std values must be positive.");
            }
        }
        int resize = integer(p, "image.resize", 0);
        int crop = integer(p, "image.crop", 0);
        long[] shape = shape(p.getProperty("input.shape", crop > 0 ? "-1," + channels + "," + crop + "," + crop : "-1"));
        return new Processing(resize, crop, gray, mean, std, p.getProperty("input.name", "input0"), shape,
                p.getProperty("input.datatype", "FP32"), p.getProperty("output.name", "output0"),
                Boolean.parseBoolean(p.getProperty("output.softmax", "true")), integer(p, "output.topk", 5));
    }

    private static int integer(Properties p, String key, int fallback) {
        String value = p.getProperty(key);
        try {
            int n = value == null ? fallback : Integer.parseInt(value.strip());
            if (n < 0 || n > 8192) {
                throw new StartupException(key + " must be between 0 and 8192.");
            }
            return n;
        }
        catch (NumberFormatException ex) {
            throw new StartupException(key + " must be a whole number, not '" + value + "'.");
        }
    }

    private static float[] floats(Properties p, String key, int channels, float fallback) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            float[] all = new float[channels];
            Arrays.fill(all, fallback);
            return all;
        }
        String[] parts = value.split(",");
        float[] result = new float[channels];
        if (parts.length != 1 && parts.length != channels) {
            throw new StartupException(key + " needs 1 or " + channels + " values, not " + parts.length + ".");
        }
        for (int c = 0; c < channels; c++) {
            try {
                result[c] = Float.parseFloat(parts[parts.length == 1 ? 0 : c].strip());
            }
            catch (NumberFormatException ex) {
                throw new StartupException(key + " must be numbers separated by commas, not '" + value + "'.");
            }
        }
        return result;
    }

    private static long[] shape(String value) {
        try {
            return Arrays.stream(value.split(",")).map(String::strip).mapToLong(Long::parseLong).toArray();
        }
        catch (NumberFormatException ex) {
            throw new StartupException("input.shape must be whole numbers separated by commas, not '" + value + "'.");
        }
    }
}
