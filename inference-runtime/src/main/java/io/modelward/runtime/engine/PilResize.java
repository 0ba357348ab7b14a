package io.modelward.runtime.engine;

/**
 * Bilinear resizing of 8-bit image planes exactly as Pillow's {@code Image.resize(size, Image.BILINEAR)} computes it
 * (and so torchvision's {@code Resize} on PIL images): a separable triangle filter widened by the scale when
 * shrinking (so downsizing averages instead of skipping pixels), coefficients in 22-bit fixed point, horizontal pass
 * then vertical pass, each rounded and clipped to 0..255. Matching it bit for bit means a model sees the same pixels
 * it was trained and validated on.
 */
final class PilResize {

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResize() {
    }

    /** Resizes one plane of {@code width × height} bytes (0..255, row-major) to {@code outWidth × outHeight}. */
    static int[] plane(int[] in, int width, int height, int outWidth, int outHeight) {
        int[] horizontal = in;
        int rows = height;
        if (outWidth != width) {
            Coefficients k = Coefficients.of(width, outWidth);
            horizontal = new int[outWidth * rows];
            for (int y = 0; y < rows; y++) {
                int row = y * width;
                for (int x = 0; x < outWidth; x++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    int first = k.bounds[2 * x];
                    int count = k.bounds[2 * x + 1];
                    for (int i = 0; i < count; i++) {
                        sum += in[row + first + i] * k.weights[x * k.size + i];
                    }
                    horizontal[y * outWidth + x] = clip8(sum);
                }
            }
        }
        if (outHeight == rows) {
            return horizontal;
        }
        Coefficients k = Coefficients.of(rows, outHeight);
        int[] out = new int[outWidth * outHeight];
        for (int y = 0; y < outHeight; y++) {
            int first = k.bounds[2 * y];
            int count = k.bounds[2 * y + 1];
            for (int x = 0; x < outWidth; x++) {
                int sum = 1 << (PRECISION_BITS - 1);
                for (int i = 0; i < count; i++) {
                    sum += horizontal[(first + i) * outWidth + x] * k.weights[y * k.size + i];
                }
                out[y * outWidth + x] = clip8(sum);
            }
        }
        return out;
    }

    private static int clip8(int value) {
        if (value >= 1 << PRECISION_BITS << 8) {
            return 255;
        }
        return value <= 0 ? 0 : value >> PRECISION_BITS;
    }

    /** Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} for the bilinear filter (support 1). */
    private record Coefficients(int size, int[] bounds, int[] weights) {

        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] weights = new int[outSize * size];
            double[] row = new double[size];
            for (int out = 0; out < outSize; out++) {
                double center = (out + 0.5) * scale;
                double inverse = 1.0 / filterScale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize) - min;
                double total = 0;
                for (int i = 0; i < max; i++) {
                    double w = triangle((i + min - center + 0.5) * inverse);
                    row[i] = w;
                    total += w;
                }
                for (int i = 0; i < max; i++) {
                    double w = total != 0 ? row[i] / total : row[i];
                    weights[out * size + i] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS)
                            : 0.5 + w * (1 << PRECISION_BITS));
                }
                bounds[2 * out] = min;
                bounds[2 * out + 1] = max;
            }
            return new Coefficients(size, bounds, weights);
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    }
}
