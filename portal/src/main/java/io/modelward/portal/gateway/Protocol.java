package io.modelward.portal.gateway;

/** The inference endpoints the gateway forwards and audits. */
public enum Protocol {
    /** KServe V2 (Open Inference Protocol) {@code POST /v2/models/{name}[/versions/{v}]/infer}. */
    V2_INFER,
    /** KServe V1 {@code POST /v1/models/{name}:predict}. */
    V1_PREDICT,
    /** The image endpoint {@code POST /api/models/{name}/classify}: image in, top-k labels out. */
    CLASSIFY;

    String runtimePath(String model, String version, String query) {
        return switch (this) {
            case V2_INFER -> "/v2/models/" + model + (version.isEmpty() ? "" : "/versions/" + version) + "/infer";
            case V1_PREDICT -> "/v1/models/" + model + ":predict";
            case CLASSIFY -> "/v1/models/" + model + ":classify" + (query.isEmpty() ? "" : "?" + query);
        };
    }
}
