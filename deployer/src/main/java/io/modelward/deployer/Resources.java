package io.modelward.deployer;

import java.math.BigDecimal;

import io.fabric8.kubernetes.api.model.Quantity;
import org.jspecify.annotations.Nullable;

/**
 * CPU and memory requests and limits of one replica, as Kubernetes quantities ({@code 500m}, {@code 2},
 * {@code 512Mi}, {@code 1Gi}).
 */
public record Resources(String cpuRequest, String cpuLimit, String memoryRequest, String memoryLimit) {

    public static final Resources DEFAULT = new Resources("500m", "2", "768Mi", "2Gi");

    public BigDecimal cpuRequestCores() {
        return amount(cpuRequest);
    }

    public BigDecimal memoryLimitBytes() {
        return amount(memoryLimit);
    }

    /** The quantity's value in base units (cores, bytes), or null when it is not a quantity. */
    static @Nullable BigDecimal parse(@Nullable String quantity) {
        if (quantity == null || quantity.isBlank() || !quantity.strip().matches("[0-9]+(\\.[0-9]+)?([munkMGTPE]i?|[eE][0-9]+)?")) {
            return null;
        }
        try {
            return Quantity.getAmountInBytes(new Quantity(quantity.strip()));
        }
        catch (IllegalArgumentException | ArithmeticException ex) {
            return null;
        }
    }

    private static BigDecimal amount(String quantity) {
        BigDecimal value = parse(quantity);
        if (value == null) {
            throw new IllegalStateException("not a quantity: " + quantity);
        }
        return value;
    }
}
