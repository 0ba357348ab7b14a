package io.modelward.portal.gateway;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A line for the audit trail about what a model answered: the top label and its probability, or each output's name,
 * shape and arg-max, or the error. Never the data itself.
 */
final class Summaries {

    private static final int MAX_SCANNED = 1_000_000;

    private Summaries() {
    }

    /** The line for the audit trail, and the answer's own {@code id} (V2 echoes the request's), if it has one. */
    record Summary(String text, @Nullable String id) {

        Summary(String text) {
            this(text, null);
        }
    }

    /** Summarises an answer, reading it once. */
    static Summary of(ObjectMapper json, Protocol protocol, int status, byte[] body, @Nullable String contentType) {
        if (body.length == 0) {
            return new Summary("HTTP " + status + ", empty");
        }
        if (contentType == null || !contentType.contains("json")) {
            return new Summary("HTTP " + status + ", " + body.length + " bytes of "
                    + (contentType == null ? "unknown type" : contentType));
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        }
        catch (RuntimeException ex) {
            return new Summary("HTTP " + status + ", unreadable JSON (" + body.length + " bytes)");
        }
        String id = root.path("id").isString() ? root.path("id").asString() : null;
        if (root.has("error")) {
            return new Summary("error: " + root.path("error").asString(), id);
        }
        return new Summary(switch (protocol) {
            case CLASSIFY -> classification(root);
            case V1_PREDICT -> predictions(root);
            case V2_INFER -> outputs(root);
        }, id);
    }

    private static String classification(JsonNode root) {
        JsonNode top = root.path("predictions").path(0);
        return top.isMissingNode() ? "no predictions"
                : top.path("label").asString() + " (" + round(top.path("probability").asDouble()) + ")";
    }

    private static String predictions(JsonNode root) {
        JsonNode predictions = root.path("predictions");
        return "predictions: " + predictions.size() + argmax(predictions.path(0));
    }

    private static String outputs(JsonNode root) {
        List<String> parts = new ArrayList<>();
        for (JsonNode output : root.path("outputs")) {
            StringBuilder part = new StringBuilder(output.path("name").asString()).append(' ')
                    .append(output.path("shape").toString()).append(' ').append(output.path("datatype").asString());
            part.append(argmax(output.path("data")));
            parts.add(part.toString());
        }
        return parts.isEmpty() ? "no outputs" : String.join("; ", parts);
    }

    /** The index and value of the largest number in a (possibly nested) array, for small outputs. */
    private static String argmax(JsonNode data) {
        if (!data.isArray()) {
            return "";
        }
        List<JsonNode> flat = new ArrayList<>();
        flatten(data, flat);
        int best = -1;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < flat.size(); i++) {
            if (flat.get(i).isNumber() && flat.get(i).asDouble() > max) {
                max = flat.get(i).asDouble();
                best = i;
            }
        }
        return best < 0 ? "" : " argmax " + best + " (" + round(max) + ")";
    }

    private static void flatten(JsonNode node, List<JsonNode> into) {
        for (JsonNode child : node) {
            if (into.size() >= MAX_SCANNED) {
                return;
            }
            if (child.isArray()) {
                flatten(child, into);
            }
            else {
                into.add(child);
            }
        }
    }

    private static String round(double value) {
        return String.format(java.util.Locale.ROOT, "%.4f", value);
    }
}
