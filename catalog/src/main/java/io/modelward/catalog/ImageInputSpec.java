package io.modelward.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * How an image model wants its input: resized so its shorter side is {@code resizeTo}, centre-cropped to
 * {@code imageSize} square, optionally grayscale, then normalised per channel by {@code mean} and {@code std} (on
 * values scaled to [0, 1]). All fields are optional; models that do not take images leave them empty.
 */
public record ImageInputSpec(
        @Nullable @Min(value = 1, message = "image size must be at least 1 pixel") @Max(value = 4096, message = "image size must be at most 4096 pixels") Integer imageSize,
        @Nullable @Min(value = 1, message = "resize must be at least 1 pixel") @Max(value = 4096, message = "resize must be at most 4096 pixels") Integer resizeTo,
        boolean grayscale,
        @Size(max = 4, message = "give at most 4 mean values, one per channel") List<Double> mean,
        @Size(max = 4, message = "give at most 4 std values, one per channel") List<Double> std) {

    public static final ImageInputSpec NONE = new ImageInputSpec(null, null, false, List.of(), List.of());

    public ImageInputSpec {
        mean = mean == null ? List.of() : List.copyOf(mean);
        std = std == null ? List.of() : List.copyOf(std);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return imageSize == null && resizeTo == null && !grayscale && mean.isEmpty() && std.isEmpty();
    }

    static @Nullable String join(List<Double> values) {
        return values.isEmpty() ? null : values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static List<Double> split(@Nullable String values) {
        return values == null || values.isBlank() ? List.of()
                : Arrays.stream(values.split(",")).map(String::strip).map(Double::valueOf).toList();
    }
}
