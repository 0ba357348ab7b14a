package io.modelward.deployer.kubernetes;

import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import tools.jackson.databind.JsonNode;

/**
 * Whether an existing object lacks something ModelWard wants in it. Only the fields the desired object sets are
 * compared, so what the API server fills in (uid, resourceVersion, defaults such as a container's
 * {@code terminationMessagePath}, the status) and what others add (labels, annotations) never count as a difference;
 * lists must match element by element, and CPU and memory quantities compare by amount ({@code 0.5} is {@code 500m}).
 */
final class SemanticDiff {

    private static final Set<String> QUANTITY_MAPS = Set.of("requests", "limits");

    private SemanticDiff() {
    }

    static boolean differs(HasMetadata desired, HasMetadata existing) {
        return !covers(tree(existing), tree(desired), "");
    }

    private static JsonNode tree(HasMetadata object) {
        return Serialization.jsonMapper().valueToTree(object);
    }

    private static boolean covers(JsonNode existing, JsonNode desired, String field) {
        if (desired.isNull()) {
            return true;
        }
        if (desired.isObject()) {
            if (!existing.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> entry : desired.properties()) {
                JsonNode wanted = entry.getValue();
                JsonNode actual = existing.get(entry.getKey());
                if (wanted.isNull()) {
                    continue;
                }
                boolean same = actual != null && (QUANTITY_MAPS.contains(field) ? sameQuantity(actual, wanted)
                        : covers(actual, wanted, entry.getKey()));
                if (!same) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) {
            if (!existing.isArray() || existing.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!covers(existing.get(i), desired.get(i), field)) {
                    return false;
                }
            }
            return true;
        }
        return desired.equals(existing);
    }

    private static boolean sameQuantity(JsonNode existing, JsonNode desired) {
        if (!existing.isString() || !desired.isString()) {
            return existing.equals(desired);
        }
        try {
            return Quantity.getAmountInBytes(new Quantity(existing.stringValue()))
                    .compareTo(Quantity.getAmountInBytes(new Quantity(desired.stringValue()))) == 0;
        }
        catch (IllegalArgumentException | ArithmeticException ex) {
            return existing.equals(desired);
        }
    }
}
