package io.modelward.runtime.http;

import java.nio.charset.StandardCharsets;

/** An HTTP answer: status, content type and body. Errors are {@code {"error": message}}. */
record Response(int status, String contentType, byte[] body) {

    static Response json(int status, String json) {
        return new Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static Response json(int status, byte[] json) {
        return new Response(status, "application/json", json);
    }

    static Response error(int status, String message) {
        return json(status, V2Codec.JSON.createObjectNode().put("error", message).toString());
    }
}
