package io.modelward.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import io.modelward.catalog.ImageInputSpec.Color;
import io.modelward.catalog.ImageInputSpec.Fit;
import io.modelward.catalog.ImageInputSpec.Layout;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The declared input shape of a TorchScript or .mar version follows its final processing settings: the preset, then
 * each override of it (size, fit, colour, layout), as the runtime applies them.
 */
class InputShapeTest {

    static Stream<Arguments> table() {
        return Stream.of(
                row("no image settings", spec(null, null, null, null, null, null, null, false), ModelFormat.TORCHSCRIPT,
                        -1),
                row("a .mar model starts from imagenet", spec(null, null, null, null, null, null, null, false),
                        ModelFormat.MAR, -1, 3, 224, 224),
                row("imagenet", spec("imagenet", null, null, null, null, null, null, false), ModelFormat.TORCHSCRIPT,
                        -1, 3, 224, 224),
                row("imagenet, crop 256", spec("imagenet", null, 256, null, null, null, null, false),
                        ModelFormat.TORCHSCRIPT, -1, 3, 256, 256),
                row("imagenet, NHWC", spec("imagenet", null, null, null, null, null, Layout.NHWC, false),
                        ModelFormat.TORCHSCRIPT, -1, 224, 224, 3),
                row("text-line-48, grayscale flag", spec("text-line-48", null, null, null, null, null, null, true),
                        ModelFormat.TORCHSCRIPT, -1, 1, 48, 320),
                row("imagenet, stretched to 64 x 32", spec("imagenet", Fit.STRETCH, null, 64, 32, null, null, false),
                        ModelFormat.TORCHSCRIPT, -1, 3, 32, 64),
                row("text-line-48", spec("text-line-48", null, null, null, null, null, null, false), ModelFormat.MAR,
                        -1, 3, 48, 320),
                row("text-line-48, width 192", spec("text-line-48", null, null, 192, null, null, null, false),
                        ModelFormat.TORCHSCRIPT, -1, 3, 48, 192),
                row("text-line-48, width 192, on a .mar", spec("text-line-48", null, null, 192, null, null, null,
                        false), ModelFormat.MAR, -1, 3, 48, 192),
                row("text-line-48, height 32, grayscale, NHWC", spec("text-line-48", null, null, null, 32,
                        Color.GRAYSCALE, Layout.NHWC, false), ModelFormat.TORCHSCRIPT, -1, 32, 320, 1),
                row("text-line-48, cropped to 64", spec("text-line-48", Fit.CROP, 64, null, null, null, null, false),
                        ModelFormat.TORCHSCRIPT, -1, 3, 64, 64),
                row("text-line-48, cropped without a crop size", spec("text-line-48", Fit.CROP, null, null, null,
                        null, null, false), ModelFormat.TORCHSCRIPT, -1),
                row("digits-8x8", spec("digits-8x8", null, null, null, null, null, null, false),
                        ModelFormat.TORCHSCRIPT, -1, 1, 8, 8),
                row("digits-8x8, 16 x 16 RGB", spec("digits-8x8", null, null, 16, 16, Color.RGB, null, false),
                        ModelFormat.TORCHSCRIPT, -1, 3, 16, 16),
                row("digits-8x8, padded to 12 wide", spec("digits-8x8", Fit.PAD, null, 12, null, null, null, false),
                        ModelFormat.TORCHSCRIPT, -1, 1, 8, 12),
                row("no preset, crop 8, grayscale", spec(null, null, 8, null, null, null, null, true),
                        ModelFormat.TORCHSCRIPT, -1, 1, 8, 8),
                row("no preset, width and height without a fit: cropped, and no crop size", spec(null, null, null, 8,
                        8, null, null, false), ModelFormat.TORCHSCRIPT, -1),
                row("no preset, pad to 100 x 20, BGR, NHWC", spec(null, Fit.PAD, null, 100, 20, Color.BGR,
                        Layout.NHWC, false), ModelFormat.TORCHSCRIPT, -1, 20, 100, 3));
    }

    @ParameterizedTest(name = "{0} ({2})")
    @MethodSource("table")
    void derivesTheShapeFromTheFinalSettings(String what, ImageInputSpec input, ModelFormat format,
            List<Long> expected) {
        assertThat(InputShape.of(input, format)).isEqualTo(expected);
        assertThat(ModelSignature.defaults(format, input).inputs().getFirst().shape()).isEqualTo(expected);
    }

    private static Arguments row(String what, ImageInputSpec input, ModelFormat format, long... shape) {
        return Arguments.of(what, input, format, java.util.Arrays.stream(shape).boxed().toList());
    }

    private static ImageInputSpec spec(@Nullable String preset, @Nullable Fit fit, @Nullable Integer crop,
            @Nullable Integer width, @Nullable Integer height, @Nullable Color color, @Nullable Layout layout,
            boolean grayscale) {
        return new ImageInputSpec(crop, null, grayscale, List.of(), List.of(), preset, color, fit, width, height,
                List.of(), List.of(), layout, null, null, null, null);
    }
}
