package io.modelward.runtime.metrics;

import java.util.Locale;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram with fixed upper bounds, safe for concurrent use and cheap to observe. */
final class Histogram {

    private final double[] bounds;
    private final LongAdder[] buckets;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double... bounds) {
        this.bounds = bounds.clone();
        this.buckets = new LongAdder[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(double value) {
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                buckets[i].increment();
                break;
            }
        }
        count.increment();
        sum.add(value);
    }

    long count() {
        return count.sum();
    }

    void write(StringBuilder out, String name, String labels) {
        long cumulative = 0;
        String sep = labels.isEmpty() ? "" : ",";
        for (int i = 0; i < bounds.length; i++) {
            cumulative += buckets[i].sum();
            out.append(name).append("_bucket{").append(labels).append(sep).append("le=\"")
                    .append(format(bounds[i])).append("\"} ").append(cumulative).append('\n');
        }
        out.append(name).append("_bucket{").append(labels).append(sep).append("le=\"+Inf\"} ").append(count.sum())
                .append('\n');
        String braces = labels.isEmpty() ? "" : "{" + labels + "}";
        out.append(name).append("_sum").append(braces).append(' ').append(format(sum.sum())).append('\n');
        out.append(name).append("_count").append(braces).append(' ').append(count.sum()).append('\n');
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }
}
