package io.modelward.deployer.kubernetes;

import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fields ModelWard sets on its objects, and only those. What the API server fills in (uid, resourceVersion,
 * defaults such as a container's {@code terminationMessagePath}, the status) and what others add (labels,
 * annotations) are neither a difference nor overwritten.
 */
final class OwnedFields {

    private static final Set<String> QUANTITY_MAPS = Set.of("requests", "limits");

    private OwnedFields() {
    }

    /**
     * Whether the existing object lacks something the desired one sets. Lists must match element by element; CPU and
     * memory quantities compare by amount ({@code 0.5} is {@code 500m}).
     */
    static boolean differ(HasMetadata desired, HasMetadata existing) {
        return !covers(tree(existing), tree(desired), "");
    }

    /**
     * The existing object with the desired one's fields written over it, as a JSON merge patch (RFC 7386) would: maps
     * merge, lists and values are replaced. It keeps the existing resourceVersion, so an update of it fails rather
     * than overwrite a change made in between.
     */
    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T appliedTo(HasMetadata existing, T desired) {
        JsonNode merged = merge(tree(existing), tree(desired));
        return (T) Serialization.jsonMapper().treeToValue(merged, desired.getClass());
    }

    private static JsonNode tree(HasMetadata object) {
        return Serialization.jsonMapper().valueToTree(object);
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!target.isObject() || !patch.isObject()) {
            return patch;
        }
        ObjectNode result = (ObjectNode) target;
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            JsonNode current = result.get(entry.getKey());
            if (!entry.getValue().isNull()) {
                result.set(entry.getKey(), current == null ? entry.getValue() : merge(current, entry.getValue()));
            }
        }
        return result;
    }

    private static boolean covers(JsonNode existing, JsonNode desired, String field) {
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
