package io.modelward.runtime.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelward.runtime.engine.BadInputException;
import io.modelward.runtime.engine.InferenceException;
import io.modelward.runtime.engine.OverloadedException;
import io.modelward.runtime.engine.ServedModel;
import io.modelward.runtime.metrics.Metrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's HTTP face on the JDK's HTTP server, with a virtual thread per request that hands the work to the
 * engine's workers: KServe V2 and V1, the image endpoint, health and metrics. Every error is
 * {@code {"error": "..."}}: 400 bad input, 401 no internal token, 404 unknown model or path, 413 body too large,
 * 503 overloaded or not ready, 500 model failure.
 */
public final class RuntimeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RuntimeServer.class);
    private static final Pattern V2_MODEL = Pattern.compile(
            "/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?/?");
    private static final Pattern V1_MODEL = Pattern.compile("/v1/models/([^/:]+)(:predict|:classify)?/?");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Metrics metrics;
    private final @Nullable String token;
    private final RequestBodies bodies;
    private final Handlers handlers;
    private volatile @Nullable ServedModel model;

    public RuntimeServer(String host, int port, Metrics metrics, @Nullable String token, long maxBodyBytes,
            long maxInflightBytes) throws IOException {
        this.metrics = metrics;
        this.token = token;
        this.bodies = new RequestBodies(maxBodyBytes, maxInflightBytes);
        this.handlers = new Handlers(this::model);
        // without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to every response
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Serves this model from now on; until then readiness is false and model calls get 503. */
    public void serve(ServedModel served) {
        this.model = served;
    }

    public void notReady() {
        this.model = null;
    }

    private @Nullable ServedModel model() {
        return model;
    }

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        String requestId = requestId(exchange);
        String endpoint = "other";
        int status = 500;
        String requestPath = exchange.getRequestURI().getPath();
        boolean counted = !requestPath.startsWith("/v2/health/") && !requestPath.equals("/metrics");
        if (counted) {
            metrics.begin();
        }
        try (exchange) {
            exchange.getResponseHeaders().set("X-Request-Id", requestId);
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Response response;
            try {
                Matcher v2 = V2_MODEL.matcher(path);
                Matcher v1 = V1_MODEL.matcher(path);
                if (path.equals("/v2/health/live") || path.equals("/v2/health/ready") || path.equals("/v2")
                        || path.equals("/metrics")) {
                    endpoint = path.equals("/metrics") ? "metrics" : path.equals("/v2") ? "server_metadata" : "health";
                    requireMethod(method, "GET");
                    response = switch (path) {
                        case "/v2/health/live" -> Response.json(200, "{\"live\":true}");
                        case "/v2/health/ready" -> model == null ? Response.json(503, "{\"ready\":false}")
                                : Response.json(200, "{\"ready\":true}");
                        case "/metrics" -> new Response(200, "text/plain; version=0.0.4; charset=utf-8",
                                metrics.scrape().getBytes(StandardCharsets.UTF_8));
                        default -> handlers.serverMetadata();
                    };
                }
                else if (v2.matches()) {
                    String action = v2.group(3) == null ? "" : v2.group(3).replace("/", "");
                    endpoint = "v2_" + (action.isEmpty() ? "metadata" : action);
                    requireToken(exchange);
                    requireMethod(method, action.equals("infer") ? "POST" : "GET");
                    response = switch (action) {
                        case "infer" -> handlers.v2Infer(v2.group(1), v2.group(2), bodies.read(exchange),
                                exchange.getRequestHeaders().getFirst("Inference-Header-Content-Length"));
                        case "ready" -> handlers.v2Ready(v2.group(1), v2.group(2));
                        default -> handlers.v2Metadata(v2.group(1), v2.group(2));
                    };
                }
                else if (path.equals("/v1/models") || path.equals("/v1/models/")) {
                    endpoint = "v1_list";
                    requireToken(exchange);
                    requireMethod(method, "GET");
                    response = handlers.v1List();
                }
                else if (v1.matches()) {
                    String verb = v1.group(2) == null ? "" : v1.group(2).substring(1);
                    endpoint = "v1_" + (verb.isEmpty() ? "ready" : verb);
                    requireToken(exchange);
                    requireMethod(method, verb.isEmpty() ? "GET" : "POST");
                    response = switch (verb) {
                        case "predict" -> handlers.v1Predict(v1.group(1), bodies.read(exchange));
                        case "classify" -> handlers.classify(v1.group(1), bodies.read(exchange),
                                exchange.getRequestHeaders().getFirst("Content-Type"), topK(exchange));
                        default -> handlers.v1Ready(v1.group(1));
                    };
                }
                else {
                    throw new HttpError(404, "No such endpoint: " + method + " " + path + ".");
                }
            }
            catch (HttpError ex) {
                response = Response.error(ex.status, ex.getMessage());
            }
            catch (BadInputException ex) {
                response = Response.error(400, ex.getMessage());
            }
            catch (OverloadedException ex) {
                response = Response.error(503, ex.getMessage());
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            catch (InferenceException ex) {
                log.warn("[{}] {}", requestId, ex.getMessage());
                response = Response.error(500, ex.getMessage());
            }
            catch (RuntimeException ex) {
                log.error("[{}] Unexpected failure on {} {}", requestId, method, path, ex);
                response = Response.error(500, "Internal error (request " + requestId + ").");
            }
            status = response.status();
            if (status == 413) {
                // read what the client is still sending first: closing on unread data would reset the connection
                // before the client reads the answer
                bodies.swallow(exchange);
            }
            send(exchange, response);
        }
        catch (IOException ex) {
            log.debug("[{}] Client went away: {}", requestId, ex.getMessage());
        }
        finally {
            bodies.release(exchange);
            if (counted) {
                metrics.end();
            }
            long nanos = System.nanoTime() - started;
            metrics.request(endpoint, status, nanos);
            if (log.isDebugEnabled()) {
                log.debug("[{}] {} {} -> {} in {} ms", requestId, exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(), status, nanos / 1_000_000);
            }
        }
    }

    private void requireToken(HttpExchange exchange) {
        if (token == null) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip()
                : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"modelward-runtime\"");
            throw new HttpError(401, header == null ? "This runtime requires its internal token: send "
                    + "'Authorization: Bearer <token>'." : "The internal token is wrong.");
        }
    }

    private static void requireMethod(String actual, String expected) {
        if (!actual.equals(expected)) {
            throw new HttpError(405, "Use " + expected + " here, not " + actual + ".");
        }
    }

    private static int topK(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
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

    private static String requestId(HttpExchange exchange) {
        String given = exchange.getRequestHeaders().getFirst("X-Request-Id");
        return given != null && REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    /** Stops listening after letting in-flight exchanges finish for up to the given seconds. */
    @Override
    public void close() {
        server.stop(5);
        executor.close();
    }
}
