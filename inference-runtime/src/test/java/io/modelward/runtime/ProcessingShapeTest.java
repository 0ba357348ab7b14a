package io.modelward.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The declared input shape (V2 metadata, the shape check, the warm-up tensor) follows the final processing settings:
 * a preset, then each override of it. The catalog derives the same shapes for the same settings (its InputShapeTest
 * has these rows).
 */
class ProcessingShapeTest {

    static final Map<String, String> TORCHSCRIPT = Map.of();
    static final Map<String, String> MAR = Processing.IMAGENET;

    static Stream<Arguments> table() {
        return Stream.of(
                row("no image settings", TORCHSCRIPT, Map.of(), -1),
                row("a .mar model starts from imagenet", MAR, Map.of(), -1, 3, 224, 224),
                row("imagenet", TORCHSCRIPT, Map.of("image.preset", "imagenet"), -1, 3, 224, 224),
                row("imagenet, crop 256", TORCHSCRIPT, Map.of("image.preset", "imagenet", "image.crop", "256"),
                        -1, 3, 256, 256),
                row("imagenet, NHWC", TORCHSCRIPT, Map.of("image.preset", "imagenet", "image.layout", "NHWC"),
                        -1, 224, 224, 3),
                row("text-line-48, grayscale flag", TORCHSCRIPT, Map.of("image.preset", "text-line-48",
                        "image.grayscale", "true"), -1, 1, 48, 320),
                row("imagenet, stretched to 64 x 32", TORCHSCRIPT, Map.of("image.preset", "imagenet",
                        "image.fit", "STRETCH", "image.width", "64", "image.height", "32"), -1, 3, 32, 64),
                row("text-line-48", MAR, Map.of("image.preset", "text-line-48"), -1, 3, 48, 320),
                row("text-line-48, width 192", TORCHSCRIPT, Map.of("image.preset", "text-line-48",
                        "image.width", "192"), -1, 3, 48, 192),
                row("text-line-48, width 192, on a .mar", MAR, Map.of("image.preset", "text-line-48",
                        "image.width", "192"), -1, 3, 48, 192),
                row("text-line-48, height 32, grayscale, NHWC", TORCHSCRIPT, Map.of("image.preset", "text-line-48",
                        "image.height", "32", "image.color", "GRAYSCALE", "image.layout", "NHWC"), -1, 32, 320, 1),
                row("text-line-48, cropped to 64", TORCHSCRIPT, Map.of("image.preset", "text-line-48",
                        "image.fit", "CROP", "image.crop", "64"), -1, 3, 64, 64),
                row("text-line-48, cropped without a crop size", TORCHSCRIPT, Map.of("image.preset", "text-line-48",
                        "image.fit", "CROP"), -1),
                row("digits-8x8", TORCHSCRIPT, Map.of("image.preset", "digits-8x8"), -1, 1, 8, 8),
                row("digits-8x8, 16 x 16 RGB", TORCHSCRIPT, Map.of("image.preset", "digits-8x8", "image.width", "16",
                        "image.height", "16", "image.color", "RGB"), -1, 3, 16, 16),
                row("digits-8x8, padded to 12 wide", TORCHSCRIPT, Map.of("image.preset", "digits-8x8",
                        "image.fit", "PAD", "image.width", "12"), -1, 1, 8, 12),
                row("no preset, crop 8, grayscale", TORCHSCRIPT, Map.of("image.crop", "8", "image.grayscale", "true"),
                        -1, 1, 8, 8),
                row("no preset, width and height without a fit: cropped, and no crop size", TORCHSCRIPT,
                        Map.of("image.width", "8", "image.height", "8"), -1),
                row("no preset, pad to 100 x 20, BGR, NHWC", TORCHSCRIPT, Map.of("image.fit", "PAD",
                        "image.width", "100", "image.height", "20", "image.color", "BGR", "image.layout", "NHWC"),
                        -1, 20, 100, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void derivesTheShapeFromTheFinalSettings(String what, Map<String, String> defaults, Map<String, String> flags,
            long[] expected) {
        assertThat(Processing.load(defaults, null, flags).inputShape()).isEqualTo(expected);
    }

    @Test
    void keepsAShapeGivenOutright() {
        assertThat(Processing.load(MAR, null, Map.of("image.preset", "text-line-48", "image.width", "192",
                "input.shape", "-1,3,48,-1")).inputShape()).containsExactly(-1, 3, 48, -1);
    }

    private static Arguments row(String what, Map<String, String> defaults, Map<String, String> flags,
            long... shape) {
        return Arguments.of(what, defaults, flags, shape);
    }
}
