package io.modelward.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * Pre- and post-processing of a model, from a preset, a properties file and flags (each later one wins):
 * <pre>
 * image.preset=imagenet        a named set of the settings below: imagenet, digits-8x8 or text-line-48
 * image.color=RGB              RGB, BGR or GRAYSCALE (luminance as PIL's convert("L")); image.grayscale=true is GRAYSCALE
 * image.fit=crop               crop:    resize the shorter side to image.resize, then centre-crop image.crop square
 *                              stretch: resize to image.width × image.height
 *                              pad:     resize to image.height keeping the aspect ratio (at most image.width wide),
 *                                       then pad the width with zeros to image.width (text-line models)
 * image.resize=256  image.crop=224  image.width=320  image.height=48
 * image.mean=0.485,0.456,0.406  image.std=0.229,0.224,0.225   (v / 255 - mean) / std, per channel
 * image.scale=0.00392  image.offset=0                           or v * scale + offset (v in 0..255), per channel
 * image.layout=NCHW            NCHW or NHWC
 * input.name=input0  input.shape=-1,3,224,224  input.datatype=FP32   (for V2 metadata; by default the shape follows
 *                              from the final fit, size, colour and layout, so overriding a preset's width changes it)
 * output.name=output0  output.softmax=true  output.topk=5
 * output.allow-non-finite=false   true: the model may answer NaN or infinity (else such an answer is refused, 502)
 * </pre>
 * Resizing is bilinear exactly as Pillow computes it (as torchvision does on PIL images), so a model sees the pixels
 * it was trained on.
 */
public record Processing(Fit fit, int resize, int crop, int width, int height, Color color, float[] mean,
        float[] std, float @Nullable [] scale, float[] offset, Layout layout, String inputName, long[] inputShape,
        String inputDatatype, String outputName, boolean softmax, int topK, boolean allowNonFinite) {

    /** How an image is brought to the model's size. */
    public enum Fit {
        CROP, STRETCH, PAD
    }

    /** Which channels, in which order. */
    public enum Color {
        RGB, BGR, GRAYSCALE
    }

    /** Channels first or last. */
    public enum Layout {
        NCHW, NHWC
    }

    /** ImageNet-style defaults, as TorchServe's image_classifier handler uses. */
    static final Map<String, String> IMAGENET = Map.of("image.fit", "crop", "image.resize", "256", "image.crop", "224",
            "image.color", "RGB", "image.mean", "0.485,0.456,0.406", "image.std", "0.229,0.224,0.225",
            "image.layout", "NCHW", "output.softmax", "true", "output.topk", "5");

    /** The presets {@code image.preset} names. */
    public static final Map<String, Map<String, String>> PRESETS = Map.of(
            "imagenet", IMAGENET,
            // scikit-learn's 8×8 digits as PNGs (0..16 stored as 0..255): grayscale, v / 255
            "digits-8x8", Map.of("image.fit", "stretch", "image.width", "8", "image.height", "8",
                    "image.color", "GRAYSCALE", "image.scale", String.valueOf(1 / 255f), "image.offset", "0",
                    "image.layout", "NCHW", "output.softmax", "true", "output.topk", "3"),
            // text-line recognisers (PaddleOCR's and others): height 48, width padded to 320, (v / 255 - 0.5) / 0.5
            "text-line-48", Map.of("image.fit", "pad", "image.width", "320", "image.height", "48",
                    "image.color", "BGR", "image.scale", String.valueOf(2 / 255f), "image.offset", "-1",
                    "image.layout", "NCHW", "output.softmax", "false"));

    public boolean grayscale() {
        return color == Color.GRAYSCALE;
    }

    public int channels() {
        return grayscale() ? 1 : 3;
    }

    /** Whether the image endpoint can be used: it needs a fixed image size. */
    public boolean takesImages() {
        return fit == Fit.CROP ? crop > 0 || resize > 0 : width > 0 && height > 0;
    }

    /** The same processing for a model that names its own input and first output (ONNX reads them from the graph). */
    public Processing withModelSignature(String input, long[] shape, String datatype, String output) {
        return new Processing(fit, resize, crop, width, height, color, mean, std, scale, offset, layout, input,
                shape.clone(), datatype, output, softmax, topK, allowNonFinite);
    }

    static Processing load(Map<String, String> defaults, @Nullable Path file, Map<String, String> overrides) {
        Properties given = new Properties();
        if (file != null) {
            try (Reader in = Files.newBufferedReader(file)) {
                given.load(in);
            }
            catch (IOException ex) {
                throw new StartupException("Cannot read the processing properties " + file + ": " + ex.getMessage(), ex);
            }
        }
        given.putAll(overrides);
        Properties p = new Properties();
        p.putAll(defaults);
        String preset = given.getProperty("image.preset");
        if (preset != null && !preset.isBlank()) {
            Map<String, String> settings = PRESETS.get(preset.strip().toLowerCase(Locale.ROOT));
            if (settings == null) {
                throw new StartupException("image.preset must be one of " + String.join(", ",
                        PRESETS.keySet().stream().sorted().toList()) + ", not '" + preset + "'.");
            }
            p.putAll(settings);
        }
        p.putAll(given);
        // the older image.grayscale, when given, beats a default or preset colour
        boolean legacyGray = given.getProperty("image.color") == null && given.getProperty("image.grayscale") != null;
        Color color = legacyGray ? (Boolean.parseBoolean(given.getProperty("image.grayscale").strip()) ? Color.GRAYSCALE
                : Color.RGB) : p.getProperty("image.color") != null ? value(Color.class, p, "image.color") : Color.RGB;
        int channels = color == Color.GRAYSCALE ? 1 : 3;
        Fit fit = p.getProperty("image.fit") == null ? Fit.CROP : value(Fit.class, p, "image.fit");
        Layout layout = p.getProperty("image.layout") == null ? Layout.NCHW : value(Layout.class, p, "image.layout");
        float[] mean = floats(p, "image.mean", channels, 0f);
        float[] std = floats(p, "image.std", channels, 1f);
        for (float s : std) {
            if (!(s > 0)) {
                throw new StartupException("image.std values must be positive.");
            }
        }
        boolean explicitMean = given.getProperty("image.mean") != null || given.getProperty("image.std") != null;
        boolean explicitScale = given.getProperty("image.scale") != null || given.getProperty("image.offset") != null;
        if (explicitMean && explicitScale) {
            throw new StartupException("Give image.mean/image.std or image.scale/image.offset, not both.");
        }
        // what is given beats the preset: a mean given over a scaling preset means mean/std
        boolean scaled = explicitScale || !explicitMean && p.getProperty("image.scale") != null;
        float[] scale = scaled ? floats(p, "image.scale", channels, 1f) : null;
        float[] offset = floats(p, "image.offset", channels, 0f);
        int resize = integer(p, "image.resize", 0);
        int crop = integer(p, "image.crop", 0);
        int width = integer(p, "image.width", 0);
        int height = integer(p, "image.height", 0);
        if (fit != Fit.CROP && (width == 0 || height == 0)) {
            throw new StartupException("image.fit=" + fit.name().toLowerCase(Locale.ROOT) + " needs image.width and "
                    + "image.height.");
        }
        long[] fixed = fit == Fit.CROP ? (crop > 0 ? new long[] { crop, crop } : null) : new long[] { height, width };
        String defaultShape = fixed == null ? "-1" : layout == Layout.NCHW
                ? "-1," + channels + "," + fixed[0] + "," + fixed[1] : "-1," + fixed[0] + "," + fixed[1] + "," + channels;
        long[] shape = shape(p.getProperty("input.shape", defaultShape));
        return new Processing(fit, resize, crop, width, height, color, mean, std, scale, offset, layout,
                p.getProperty("input.name", "input0"), shape, p.getProperty("input.datatype", "FP32"),
                p.getProperty("output.name", "output0"), Boolean.parseBoolean(p.getProperty("output.softmax", "true")),
                integer(p, "output.topk", 5), bool(p, "output.allow-non-finite", false));
    }

    private static boolean bool(Properties p, String key, boolean fallback) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new StartupException(key + " must be true or false, not '" + value + "'.");
        };
    }

    private static <E extends Enum<E>> E value(Class<E> type, Properties p, String key) {
        String value = p.getProperty(key).strip();
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        catch (IllegalArgumentException ex) {
            throw new StartupException(key + " must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", not '" + value + "'.");
        }
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
