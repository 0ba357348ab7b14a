package io.modelward.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.modelward.catalog.ImageInputSpec;
import org.junit.jupiter.api.Test;

/** A version's processing spec reaches its runtime as flags, and only what the version sets. */
class RuntimeSpecsTest {

    @Test
    void passesEveryProcessingSettingAsARuntimeFlag() {
        ImageInputSpec textLine = new ImageInputSpec(null, null, false, List.of(), List.of(), "text-line-48",
                ImageInputSpec.Color.BGR, ImageInputSpec.Fit.PAD, 320, 48, List.of(0.5), List.of(-1.0),
                ImageInputSpec.Layout.NHWC, false, 1, "x", "logits");
        assertThat(RuntimeSpecs.processing(textLine)).containsExactly(
                java.util.Map.entry("image-preset", "text-line-48"), java.util.Map.entry("image-color", "BGR"),
                java.util.Map.entry("image-fit", "PAD"), java.util.Map.entry("image-width", "320"),
                java.util.Map.entry("image-height", "48"), java.util.Map.entry("image-scale", "0.5"),
                java.util.Map.entry("image-offset", "-1.0"), java.util.Map.entry("image-layout", "NHWC"),
                java.util.Map.entry("output-softmax", "false"), java.util.Map.entry("output-topk", "1"),
                java.util.Map.entry("input-name", "x"), java.util.Map.entry("output-name", "logits"));
        assertThat(RuntimeSpecs.processing(ImageInputSpec.preset("imagenet")))
                .containsOnly(java.util.Map.entry("image-preset", "imagenet"));
        assertThat(RuntimeSpecs.processing(new ImageInputSpec(8, 8, true, List.of(0.0), List.of(1.0))))
                .containsOnlyKeys("image-resize", "image-crop", "image-grayscale", "image-mean", "image-std");
    }
}
