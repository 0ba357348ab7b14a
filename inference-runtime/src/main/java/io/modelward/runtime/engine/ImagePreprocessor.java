package io.modelward.runtime.engine;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import io.modelward.runtime.Processing;

/**
 * Turns an encoded image (PNG, JPEG, BMP, GIF) into the model's input tensor {@code FP32 [1, C, H, W]}: resize so
 * the shorter side has {@code resize} pixels (bilinear), centre-crop to {@code crop}, take RGB or luminance (as PIL's
 * {@code convert("L")} computes it), scale to [0, 1] and normalise per channel. An image already at the target size
 * is used pixel for pixel.
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
        BufferedImage image = decode(encoded);
        int crop = processing.crop();
        int resize = processing.resize() > 0 ? processing.resize() : crop;
        if (resize > 0 && Math.min(image.getWidth(), image.getHeight()) != resize) {
            image = resizeShorterSide(image, resize);
        }
        if (crop > 0) {
            if (image.getWidth() < crop || image.getHeight() < crop) {
                throw new BadInputException("The image is smaller than the model's " + crop + "×" + crop + " input.");
            }
            image = image.getSubimage((image.getWidth() - crop) / 2, (image.getHeight() - crop) / 2, crop, crop);
        }
        return new Tensor(name, Datatype.FP32, new long[] { 1, processing.channels(), image.getHeight(),
                image.getWidth() }, pixels(image));
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

    private float[] pixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        float[] mean = processing.mean();
        float[] std = processing.std();
        float[] out = new float[processing.channels() * plane];
        boolean grayRaster = image.getType() == BufferedImage.TYPE_BYTE_GRAY;
        Raster raster = image.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (processing.grayscale()) {
                    int luma;
                    if (grayRaster) {
                        luma = raster.getSample(x, y, 0);
                    }
                    else {
                        int rgb = image.getRGB(x, y);
                        luma = (((rgb >> 16) & 0xff) * 19595 + ((rgb >> 8) & 0xff) * 38470 + (rgb & 0xff) * 7471
                                + 0x8000) >> 16;
                    }
                    out[i] = (luma / 255f - mean[0]) / std[0];
                }
                else {
                    int rgb = image.getRGB(x, y);
                    out[i] = (((rgb >> 16) & 0xff) / 255f - mean[0]) / std[0];
                    out[plane + i] = (((rgb >> 8) & 0xff) / 255f - mean[1]) / std[1];
                    out[2 * plane + i] = ((rgb & 0xff) / 255f - mean[2]) / std[2];
                }
            }
        }
        return out;
    }

    private static BufferedImage resizeShorterSide(BufferedImage image, int shorter) {
        double scale = (double) shorter / Math.min(image.getWidth(), image.getHeight());
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage resized = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, null);
        }
        finally {
            g.dispose();
        }
        return resized;
    }
}
