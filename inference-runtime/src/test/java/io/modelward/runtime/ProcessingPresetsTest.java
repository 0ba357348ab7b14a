package io.modelward.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import io.modelward.runtime.engine.ImagePreprocessor;
import io.modelward.runtime.engine.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each pre-processing preset (imagenet, digits-8x8, text-line-48) gives the tensor that Pillow and numpy compute for
 * the same image (tools/models/processing_references.py): resizing, cropping, padding, colour order, scaling and
 * layout agree to within 1/255 after normalisation.
 */
class ProcessingPresetsTest {

    static final Path DIR = Path.of(System.getProperty("modelward.models.dir", "../tools/models"), "processing");
    static final float TOLERANCE = 1 / 255f;

    record Case(String preset, String image, String reference, long[] shape) {
        @Override
        public String toString() {
            return preset + " on " + image;
        }
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : JsonMapper.builder().build().readTree(Files.readString(DIR.resolve("manifest.json")))) {
            long[] shape = new long[c.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = c.path("shape").get(i).asLong();
            }
            cases.add(new Case(c.path("preset").asString(), c.path("image").asString(), c.path("reference").asString(),
                    shape));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesThePythonReference(Case c) throws IOException {
        Processing processing = Processing.load(Map.of(), null, Map.of("image.preset", c.preset()));
        Tensor tensor = new ImagePreprocessor(processing).tensor("input0", Files.readAllBytes(DIR.resolve(c.image())));
        assertThat(tensor.shape()).isEqualTo(c.shape());
        float[] expected = reference(c.reference());
        float[] actual = (float[]) tensor.data();
        assertThat(actual).hasSameSizeAs(expected);
        float worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            float difference = Math.abs(actual[i] - expected[i]);
            if (difference > worst) {
                worst = difference;
                at = i;
            }
        }
        System.out.printf("%s: largest difference %.3g over %d values%n", c, worst, expected.length);
        assertThat(worst).as("largest difference, at element %d of %s", at, c).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void laysOutChannelsLastWhenAsked() throws IOException {
        byte[] image = Files.readAllBytes(DIR.resolve("digit-rgb-16x16.png"));
        Tensor nchw = new ImagePreprocessor(Processing.load(Map.of(), null, Map.of("image.preset", "imagenet")))
                .tensor("input0", image);
        Tensor nhwc = new ImagePreprocessor(Processing.load(Map.of(), null, Map.of("image.preset", "imagenet",
                "image.layout", "NHWC"))).tensor("input0", image);
        assertThat(nhwc.shape()).containsExactly(1, 224, 224, 3);
        float[] first = (float[]) nchw.data();
        float[] last = (float[]) nhwc.data();
        int plane = 224 * 224;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i += 997) {
                assertThat(last[i * 3 + c]).isEqualTo(first[c * plane + i]);
            }
        }
    }

    @Test
    void refusesAnUnknownPresetOrConflictingNormalisations() {
        assertThatThrownBy(() -> Processing.load(Map.of(), null, Map.of("image.preset", "vit-huge")))
                .isInstanceOf(StartupException.class).hasMessageContaining("image.preset must be one of digits-8x8, "
                        + "imagenet, text-line-48");
        assertThatThrownBy(() -> Processing.load(Map.of(), null, Map.of("image.mean", "0.5", "image.scale", "0.1")))
                .isInstanceOf(StartupException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> Processing.load(Map.of(), null, Map.of("image.fit", "pad", "image.height", "48")))
                .isInstanceOf(StartupException.class).hasMessageContaining("needs image.width and image.height");
        assertThatThrownBy(() -> Processing.load(Map.of(), null, Map.of("image.color", "CMYK")))
                .isInstanceOf(StartupException.class).hasMessageContaining("image.color must be one of");
    }

    private static float[] reference(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(DIR.resolve(name)))) {
            ByteBuffer bytes = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(values);
            return values;
        }
    }
}
