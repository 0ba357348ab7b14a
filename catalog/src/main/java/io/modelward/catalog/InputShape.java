package io.modelward.catalog;

import java.util.List;
import java.util.Map;

import io.modelward.catalog.ImageInputSpec.Color;
import io.modelward.catalog.ImageInputSpec.Fit;
import io.modelward.catalog.ImageInputSpec.Layout;
import org.jspecify.annotations.Nullable;

/**
 * The input tensor's shape an image model is called with, from its input spec as the runtime applies it: the runtime's
 * defaults (a .mar model starts from imagenet's), then the preset's settings, then the ones the version gives, each
 * later one winning. So an override of a preset's width, height, crop, fit, colour or layout changes the shape:
 * {@code text-line-48} with width 192 is {@code [-1, 3, 48, 192]}, not the preset's {@code [-1, 3, 48, 320]}.
 * <ul>
 * <li>{@code CROP}: {@code crop} × {@code crop} (no crop: any size, {@code [-1]});</li>
 * <li>{@code STRETCH}, {@code PAD}: {@code height} × {@code width};</li>
 * <li>channels: 1 for grayscale, else 3; {@code NCHW} puts them before height and width, {@code NHWC} after.</li>
 * </ul>
 * The presets' settings here are those of the runtime's presets ({@code Processing.PRESETS}) that decide the shape.
 */
final class InputShape {

    /** The settings that decide the shape; null where a layer leaves one to the layer below. */
    private record Geometry(@Nullable Fit fit, @Nullable Integer crop, @Nullable Integer width,
            @Nullable Integer height, @Nullable Color color, @Nullable Layout layout) {

        Geometry over(Geometry below) {
            return new Geometry(fit != null ? fit : below.fit, crop != null ? crop : below.crop,
                    width != null ? width : below.width, height != null ? height : below.height,
                    color != null ? color : below.color, layout != null ? layout : below.layout);
        }
    }

    private static final Geometry NONE = new Geometry(null, null, null, null, null, null);

    private static final Map<String, Geometry> PRESETS = Map.of(
            "imagenet", new Geometry(Fit.CROP, 224, null, null, Color.RGB, Layout.NCHW),
            "digits-8x8", new Geometry(Fit.STRETCH, null, 8, 8, Color.GRAYSCALE, Layout.NCHW),
            "text-line-48", new Geometry(Fit.PAD, null, 320, 48, Color.BGR, Layout.NCHW));

    private InputShape() {
    }

    /** The shape with {@code -1} for the batch, or {@code [-1]} when the spec does not fix the image size. */
    static List<Long> of(ImageInputSpec input, ModelFormat format) {
        Geometry g = settled(input, format);
        Integer height = g.fit() == null || g.fit() == Fit.CROP ? g.crop() : g.height();
        Integer width = g.fit() == null || g.fit() == Fit.CROP ? g.crop() : g.width();
        if (height == null || width == null) {
            return List.of(-1L);
        }
        long channels = g.color() == Color.GRAYSCALE ? 1 : 3;
        return g.layout() == Layout.NHWC ? List.of(-1L, (long) height, (long) width, channels)
                : List.of(-1L, channels, (long) height, (long) width);
    }

    /** The final fit when it is stretch or pad and neither the spec nor its preset gives it a width and height. */
    static @Nullable Fit unsized(ImageInputSpec input) {
        Geometry g = settled(input, ModelFormat.TORCHSCRIPT);
        return (g.fit() == Fit.STRETCH || g.fit() == Fit.PAD) && (g.width() == null || g.height() == null) ? g.fit()
                : null;
    }

    private static Geometry settled(ImageInputSpec input, ModelFormat format) {
        Geometry defaults = format == ModelFormat.MAR ? PRESETS.get("imagenet") : NONE;
        Geometry preset = input.preset() == null ? NONE : PRESETS.getOrDefault(input.preset(), NONE);
        // the older grayscale flag counts only when no colour is given, as in the runtime
        Color color = input.color() != null ? input.color() : input.grayscale() ? Color.GRAYSCALE : null;
        Geometry given = new Geometry(input.fit(), input.imageSize(), input.width(), input.height(), color,
                input.layout());
        return given.over(preset.over(defaults));
    }
}
