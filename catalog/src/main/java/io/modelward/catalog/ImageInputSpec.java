package io.modelward.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * How an image model wants its input, and how its output is read, as the runtime's image endpoint applies it:
 * <ul>
 * <li>{@code preset}: {@code imagenet}, {@code digits-8x8} or {@code text-line-48}, a named set of the settings below
 * (the ones given here win);</li>
 * <li>{@code color}: {@code RGB}, {@code BGR} or {@code GRAYSCALE} ({@code grayscale} is the older flag for it);</li>
 * <li>{@code fit}: {@code CROP} resizes the shorter side to {@code resizeTo} and centre-crops {@code imageSize}
 * square; {@code STRETCH} resizes to {@code width} × {@code height}; {@code PAD} resizes to {@code height} keeping
 * the aspect ratio and pads the width to {@code width} (text lines);</li>
 * <li>normalisation: {@code mean} and {@code std} per channel on values scaled to [0, 1], or {@code scale} and
 * {@code offset} on values 0..255 ({@code v * scale + offset});</li>
 * <li>{@code layout}: {@code NCHW} or {@code NHWC}; {@code softmax} and {@code topK} for the answer;</li>
 * <li>{@code inputName} and {@code outputName}: what a TorchScript or .mar model's tensors are called, which the file
 * does not record ({@code input0} and {@code output0} when not given; ONNX models name their own).</li>
 * </ul>
 * All fields are optional; models that do not take images leave them empty.
 */
public record ImageInputSpec(
        @Nullable @Min(value = 1, message = "image size must be at least 1 pixel") @Max(value = 4096, message = "image size must be at most 4096 pixels") Integer imageSize,
        @Nullable @Min(value = 1, message = "resize must be at least 1 pixel") @Max(value = 4096, message = "resize must be at most 4096 pixels") Integer resizeTo,
        boolean grayscale,
        @Size(max = 4, message = "give at most 4 mean values, one per channel") List<Double> mean,
        @Size(max = 4, message = "give at most 4 std values, one per channel") List<Double> std,
        @Nullable @Pattern(regexp = "imagenet|digits-8x8|text-line-48", message = "preset must be imagenet, digits-8x8 or text-line-48") String preset,
        @Nullable Color color,
        @Nullable Fit fit,
        @Nullable @Min(value = 1, message = "width must be at least 1 pixel") @Max(value = 4096, message = "width must be at most 4096 pixels") Integer width,
        @Nullable @Min(value = 1, message = "height must be at least 1 pixel") @Max(value = 4096, message = "height must be at most 4096 pixels") Integer height,
        @Size(max = 4, message = "give at most 4 scale values, one per channel") List<Double> scale,
        @Size(max = 4, message = "give at most 4 offset values, one per channel") List<Double> offset,
        @Nullable Layout layout,
        @Nullable Boolean softmax,
        @Nullable @Min(value = 1, message = "top-k must be at least 1") @Max(value = 1000, message = "top-k must be at most 1000") Integer topK,
        @Nullable @Pattern(regexp = NAME, message = "input name must be 1 to 100 letters, digits, '_', '.', ':', '/' or '-'") String inputName,
        @Nullable @Pattern(regexp = NAME, message = "output name must be 1 to 100 letters, digits, '_', '.', ':', '/' or '-'") String outputName) {

    /** A tensor name as exporters write them ({@code input0}, {@code pixel_values}, {@code x.1}, {@code output:0}). */
    public static final String NAME = "[A-Za-z_][A-Za-z0-9_.:/-]{0,99}";

    /** Which channels, in which order. */
    public enum Color {
        RGB, BGR, GRAYSCALE
    }

    /** How an image is brought to the model's size. */
    public enum Fit {
        CROP, STRETCH, PAD
    }

    /** Channels first or last. */
    public enum Layout {
        NCHW, NHWC
    }

    /** The presets the runtime knows, with what each sets (shown to people choosing one). */
    public static final Map<String, String> PRESETS = Map.of(
            "imagenet", "RGB, shorter side 256, centre crop 224, ImageNet mean and std, NCHW, softmax, top 5",
            "digits-8x8", "grayscale, stretched to 8×8, v / 255, NCHW, softmax, top 3",
            "text-line-48", "BGR, height 48 and width padded to 320, (v / 255 − 0.5) / 0.5, NCHW, no softmax");

    /** The earlier spec: crop fit with mean and std. */
    public ImageInputSpec(@Nullable Integer imageSize, @Nullable Integer resizeTo, boolean grayscale, List<Double> mean,
            List<Double> std) {
        this(imageSize, resizeTo, grayscale, mean, std, null, null, null, null, null, List.of(), List.of(), null, null,
                null, null, null);
    }

    public static final ImageInputSpec NONE = new ImageInputSpec(null, null, false, List.of(), List.of());

    /** Only a preset. */
    public static ImageInputSpec preset(String preset) {
        return new ImageInputSpec(null, null, false, List.of(), List.of(), preset, null, null, null, null, List.of(),
                List.of(), null, null, null, null, null);
    }

    public ImageInputSpec {
        mean = mean == null ? List.of() : List.copyOf(mean);
        std = std == null ? List.of() : List.copyOf(std);
        scale = scale == null ? List.of() : List.copyOf(scale);
        offset = offset == null ? List.of() : List.copyOf(offset);
        preset = preset == null || preset.isBlank() ? null : preset.strip();
        inputName = inputName == null || inputName.isBlank() ? null : inputName.strip();
        outputName = outputName == null || outputName.isBlank() ? null : outputName.strip();
    }

    @JsonIgnore
    public boolean isEmpty() {
        return imageSize == null && resizeTo == null && !grayscale && mean.isEmpty() && std.isEmpty() && preset == null
                && color == null && fit == null && width == null && height == null && scale.isEmpty()
                && offset.isEmpty() && layout == null && softmax == null && topK == null && inputName == null
                && outputName == null;
    }

    /** The settings as people read them, e.g. "preset text-line-48 · BGR · pad to 320 × 48 · scale 0.5, offset -1". */
    @JsonIgnore
    public String summary() {
        List<String> parts = new java.util.ArrayList<>();
        if (preset != null) {
            parts.add("preset " + preset);
        }
        if (color != null || grayscale) {
            parts.add(color != null ? color.name() : "GRAYSCALE");
        }
        if (fit == Fit.STRETCH || fit == Fit.PAD) {
            parts.add((fit == Fit.STRETCH ? "stretch to " : "height, then pad to ")
                    + (width == null ? "?" : width) + " × " + (height == null ? "?" : height));
        }
        if (resizeTo != null) {
            parts.add("shorter side " + resizeTo);
        }
        if (imageSize != null) {
            parts.add("centre crop " + imageSize + " × " + imageSize);
        }
        if (!mean.isEmpty() || !std.isEmpty()) {
            parts.add("mean " + mean + ", std " + std);
        }
        if (!scale.isEmpty() || !offset.isEmpty()) {
            parts.add("scale " + scale + ", offset " + offset);
        }
        if (layout != null) {
            parts.add(layout.name());
        }
        if (softmax != null) {
            parts.add(softmax ? "softmax" : "no softmax");
        }
        if (topK != null) {
            parts.add("top " + topK);
        }
        if (inputName != null || outputName != null) {
            parts.add("tensors " + (inputName == null ? "input0" : inputName) + " → "
                    + (outputName == null ? "output0" : outputName));
        }
        return String.join(" · ", parts);
    }

    static @Nullable String join(List<Double> values) {
        return values.isEmpty() ? null : values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static List<Double> split(@Nullable String values) {
        return values == null || values.isBlank() ? List.of()
                : Arrays.stream(values.split(",")).map(String::strip).map(Double::valueOf).toList();
    }
}
