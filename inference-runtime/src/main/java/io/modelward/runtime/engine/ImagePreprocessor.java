package io.modelward.runtime.engine;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import io.modelward.runtime.Processing;

/**
 * Turns an encoded image (PNG, JPEG, BMP, GIF) into the model's input tensor, as its {@link Processing} says: take
 * RGB, BGR or luminance (as PIL's {@code convert("L")} computes it); fit it (resize the shorter side and centre-crop,
 * stretch, or resize to the height and pad the width), resizing bilinearly exactly as Pillow does ({@link PilResize});
 * scale and normalise per channel; lay it out NCHW or NHWC. An image already at the target size is used pixel for
 * pixel. The results match the Python reference arrays of {@code tools/models/processing/} to float rounding.
 */
public final class ImagePreprocessor {

    private final Processing processing;

    public ImagePreprocessor(Processing processing) {
        this.processing = processing;
    }

    /**
     * Runs the whole image path once on a small generated PNG, so the first real request does not pay for loading
     * the image codecs and scaling code (about 200 ms). Called beside the model load, it costs the start nothing.
     */
    public void warmUp() {
        try {
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png", png);
            tensor("warm-up", png.toByteArray());
        }
        catch (java.io.IOException | RuntimeException ex) {
            // only a warm-up: a real request reports any problem itself
        }
    }

    public Tensor tensor(String name, byte[] encoded) {
        Planes image = Planes.of(decode(encoded), processing.color());
        Planes fitted = switch (processing.fit()) {
            case CROP -> crop(image);
            case STRETCH -> image.resize(processing.width(), processing.height());
            case PAD -> image.resize(padWidth(image), processing.height());
        };
        int width = processing.fit() == Processing.Fit.PAD ? processing.width() : fitted.width();
        int height = fitted.height();
        long[] shape = processing.layout() == Processing.Layout.NCHW
                ? new long[] { 1, fitted.channels(), height, width } : new long[] { 1, height, width, fitted.channels() };
        return new Tensor(name, Datatype.FP32, shape, normalised(fitted, width));
    }

    /** Resize the shorter side, then centre-crop a square, as torchvision's Resize and CenterCrop do. */
    private Planes crop(Planes image) {
        int crop = processing.crop();
        int resize = processing.resize() > 0 ? processing.resize() : crop;
        Planes resized = image;
        if (resize > 0 && Math.min(image.width(), image.height()) != resize) {
            boolean portrait = image.width() <= image.height();
            int longer = (int) ((long) resize * (portrait ? image.height() : image.width())
                    / (portrait ? image.width() : image.height()));
            resized = portrait ? image.resize(resize, longer) : image.resize(longer, resize);
        }
        if (crop <= 0) {
            return resized;
        }
        if (resized.width() < crop || resized.height() < crop) {
            throw new BadInputException("The image is smaller than the model's " + crop + "×" + crop + " input.");
        }
        // torchvision rounds half to even here, as Python's round() does
        return resized.crop((int) Math.rint((resized.width() - crop) / 2.0),
                (int) Math.rint((resized.height() - crop) / 2.0), crop, crop);
    }

    /** The width a text line takes at the model's height, at most the model's width (PaddleOCR's rule). */
    private int padWidth(Planes image) {
        double ratio = (double) image.width() / image.height();
        return (int) Math.min(processing.width(), Math.ceil(processing.height() * ratio));
    }

    /** Scales and normalises into the model's layout; columns past the image (padding) stay 0. */
    private float[] normalised(Planes image, int width) {
        int channels = image.channels();
        int height = image.height();
        float[] out = new float[channels * height * width];
        float[] scale = processing.scale();
        float[] offset = processing.offset();
        float[] mean = processing.mean();
        float[] std = processing.std();
        boolean nchw = processing.layout() == Processing.Layout.NCHW;
        for (int c = 0; c < channels; c++) {
            int[] plane = image.planes()[c];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < image.width(); x++) {
                    float v = plane[y * image.width() + x];
                    float value = scale != null ? v * scale[c] + offset[c] : (v / 255f - mean[c]) / std[c];
                    out[nchw ? (c * height + y) * width + x : (y * width + x) * channels + c] = value;
                }
            }
        }
        return out;
    }

    /** The most pixels an image may declare: 40 megapixels, far above any model input, far below exhausting memory. */
    static final long MAX_PIXELS = 40_000_000L;

    static BufferedImage decode(byte[] encoded) {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            java.util.Iterator<javax.imageio.ImageReader> readers = in == null ? java.util.Collections.emptyIterator()
                    : ImageIO.getImageReaders(in);
            if (encoded.length == 0 || !readers.hasNext()) {
                throw new BadInputException("The body is not an image this runtime can read (PNG, JPEG, BMP or GIF).");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new BadInputException("The image is " + reader.getWidth(0) + "×" + reader.getHeight(0)
                            + " pixels, more than the " + MAX_PIXELS / 1_000_000 + " megapixels accepted.");
                }
                return reader.read(0);
            }
            finally {
                reader.dispose();
            }
        }
        catch (IOException | RuntimeException ex) {
            if (ex instanceof BadInputException bad) {
                throw bad;
            }
            throw new BadInputException("The image cannot be decoded: " + ex.getMessage());
        }
    }

    /** An image as 8-bit planes in the model's channel order: R, G, B or B, G, R, or one luminance plane. */
    record Planes(int width, int height, int[][] planes) {

        int channels() {
            return planes.length;
        }

        static Planes of(BufferedImage image, Processing.Color color) {
            int w = image.getWidth();
            int h = image.getHeight();
            // a gray raster is read as stored: getRGB would run it through a colour conversion
            boolean gray = image.getType() == BufferedImage.TYPE_BYTE_GRAY;
            Raster raster = image.getRaster();
            int[][] planes = new int[color == Processing.Color.GRAYSCALE ? 1 : 3][w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    int r;
                    int g;
                    int b;
                    if (gray) {
                        r = g = b = raster.getSample(x, y, 0);
                    }
                    else {
                        int rgb = image.getRGB(x, y);
                        r = (rgb >> 16) & 0xff;
                        g = (rgb >> 8) & 0xff;
                        b = rgb & 0xff;
                    }
                    switch (color) {
                        // as PIL's convert("L"): ITU-R 601-2 luma in 16-bit fixed point
                        case GRAYSCALE -> planes[0][i] = gray ? r : (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
                        case RGB -> {
                            planes[0][i] = r;
                            planes[1][i] = g;
                            planes[2][i] = b;
                        }
                        case BGR -> {
                            planes[0][i] = b;
                            planes[1][i] = g;
                            planes[2][i] = r;
                        }
                    }
                }
            }
            return new Planes(w, h, planes);
        }

        Planes resize(int toWidth, int toHeight) {
            if (toWidth == width && toHeight == height) {
                return this;
            }
            int[][] resized = new int[planes.length][];
            for (int c = 0; c < planes.length; c++) {
                resized[c] = PilResize.plane(planes[c], width, height, Math.max(1, toWidth), Math.max(1, toHeight));
            }
            return new Planes(Math.max(1, toWidth), Math.max(1, toHeight), resized);
        }

        Planes crop(int left, int top, int w, int h) {
            int[][] cropped = new int[planes.length][w * h];
            for (int c = 0; c < planes.length; c++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(planes[c], (top + y) * width + left, cropped[c], y * w, w);
                }
            }
            return new Planes(w, h, cropped);
        }
    }
}
