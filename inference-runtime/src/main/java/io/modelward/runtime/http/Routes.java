package io.modelward.runtime.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.modelward.runtime.engine.BadInputException;
import io.modelward.runtime.engine.ServedModel;
import io.modelward.runtime.metrics.Metrics;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import org.jspecify.annotations.Nullable;

/**
 * Which endpoint a request asks for, decided from its headers: KServe V2 and V1, the image endpoint, health and
 * metrics. Refuses an unknown path (404), a wrong method (405) or a missing or wrong internal token (401) before
 * any body is used, and says where each endpoint's body may be parsed.
 */
final class Routes {

    private static final Pattern V2_MODEL = Pattern.compile(
            "/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?/?");
    private static final Pattern V1_MODEL = Pattern.compile("/v1/models/([^/:]+)(:predict|:classify)?/?");
    /** JSON bodies up to this size are parsed on the event loop; larger ones, and images, on a virtual thread. */
    private static final int INLINE_JSON_BYTES = 64 * 1024;
    /** Binary tensor bodies (a copy, no parsing) up to this size are taken on the event loop. */
    private static final int INLINE_BINARY_BYTES = 16 << 20;

    private final Supplier<@Nullable ServedModel> model;
    private final Metrics metrics;
    private final @Nullable String token;
    private final Handlers handlers;

    Routes(Supplier<@Nullable ServedModel> model, Metrics metrics, @Nullable String token) {
        this.model = model;
        this.metrics = metrics;
        this.token = token;
        this.handlers = new Handlers(model);
    }

    /** What a request asks for, decided from its headers: its endpoint, whether it has a body, and the call. */
    record Route(String endpoint, boolean readsBody, int inlineLimit, Call call) {

        boolean inline(int bodyLength) {
            return bodyLength <= inlineLimit;
        }
    }

    /** An endpoint's work on a request body; {@code finish} is where the answer is built once the model is done. */
    @FunctionalInterface
    interface Call {

        CompletableFuture<Response> apply(byte[] body, Executor finish);
    }
    /** The endpoint a request asks for; refuses an unknown path, a wrong method or a missing token (as HttpError). */
    Route route(Exchange x) {
        HttpRequest request = x.request;
        String path;
        String query;
        try {
            URI uri = new URI(request.uri());
            path = uri.getPath() == null ? "" : uri.getPath();
            query = uri.getRawQuery();
        }
        catch (java.net.URISyntaxException ex) {
            throw new HttpError(400, "Malformed request URI.");
        }
        String method = request.method().name();
        HttpHeaders headers = request.headers();
        x.counted = !path.startsWith("/v2/health/") && !path.equals("/metrics");
        if (path.equals("/v2/health/live") || path.equals("/v2/health/ready") || path.equals("/v2")
                || path.equals("/metrics")) {
            x.endpoint = path.equals("/metrics") ? "metrics" : path.equals("/v2") ? "server_metadata" : "health";
            requireMethod(method, "GET");
            return now(x.endpoint, () -> switch (path) {
                case "/v2/health/live" -> Response.json(200, "{\"live\":true}");
                case "/v2/health/ready" -> model.get() == null ? Response.json(503, "{\"ready\":false}")
                        : Response.json(200, "{\"ready\":true}");
                case "/metrics" -> new Response(200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape().getBytes(StandardCharsets.UTF_8));
                default -> handlers.serverMetadata();
            });
        }
        Matcher v2 = V2_MODEL.matcher(path);
        if (v2.matches()) {
            String action = v2.group(3) == null ? "" : v2.group(3).replace("/", "");
            x.endpoint = "v2_" + (action.isEmpty() ? "metadata" : action);
            requireToken(x);
            requireMethod(method, action.equals("infer") ? "POST" : "GET");
            String name = v2.group(1);
            String version = v2.group(2);
            return switch (action) {
                case "infer" -> {
                    String jsonLength = headers.get("Inference-Header-Content-Length");
                    yield new Route(x.endpoint, true, jsonLength != null ? INLINE_BINARY_BYTES : INLINE_JSON_BYTES,
                            (body, finish) -> handlers.v2Infer(name, version, body, jsonLength, finish));
                }
                case "ready" -> now(x.endpoint, () -> handlers.v2Ready(name, version));
                default -> now(x.endpoint, () -> handlers.v2Metadata(name, version));
            };
        }
        if (path.equals("/v1/models") || path.equals("/v1/models/")) {
            x.endpoint = "v1_list";
            requireToken(x);
            requireMethod(method, "GET");
            return now(x.endpoint, handlers::v1List);
        }
        Matcher v1 = V1_MODEL.matcher(path);
        if (v1.matches()) {
            String verb = v1.group(2) == null ? "" : v1.group(2).substring(1);
            x.endpoint = "v1_" + (verb.isEmpty() ? "ready" : verb);
            requireToken(x);
            requireMethod(method, verb.isEmpty() ? "GET" : "POST");
            String name = v1.group(1);
            return switch (verb) {
                case "predict" -> new Route(x.endpoint, true, INLINE_JSON_BYTES,
                        (body, finish) -> handlers.v1Predict(name, body, finish));
                case "classify" -> {
                    String contentType = headers.get("Content-Type");
                    int topK = topK(query);
                    // decoding an image takes milliseconds of CPU: never on the event loop
                    yield new Route(x.endpoint, true, -1,
                            (body, finish) -> handlers.classify(name, body, contentType, topK, finish));
                }
                default -> now(x.endpoint, () -> handlers.v1Ready(name));
            };
        }
        throw new HttpError(404, "No such endpoint: " + method + " " + path + ".");
    }

    private static Route now(String endpoint, java.util.function.Supplier<Response> answer) {
        return new Route(endpoint, false, Integer.MAX_VALUE,
                (body, finish) -> CompletableFuture.completedFuture(answer.get()));
    }
    private void requireToken(Exchange x) {
        if (token == null) {
            return;
        }
        String header = x.request.headers().get("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip()
                : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            x.headers.set("WWW-Authenticate", "Bearer realm=\"modelward-runtime\"");
            throw new HttpError(401, header == null ? "This runtime requires its internal token: send "
                    + "'Authorization: Bearer <token>'." : "The internal token is wrong.");
        }
    }

    private static void requireMethod(String actual, String expected) {
        if (!actual.equals(expected)) {
            throw new HttpError(405, "Use " + expected + " here, not " + actual + ".");
        }
    }

    private static int topK(@Nullable String query) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("topk=")) {
                    try {
                        int k = Integer.parseInt(pair.substring(5));
                        if (k >= 1 && k <= 1000) {
                            return k;
                        }
                    }
                    catch (NumberFormatException ex) {
                        // fall through to the error
                    }
                    throw new BadInputException("topk must be a whole number from 1 to 1000.");
                }
            }
        }
        return 0;
    }
}
