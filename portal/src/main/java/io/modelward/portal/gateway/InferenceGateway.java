package io.modelward.portal.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.modelward.deployer.DeploymentRouter;
import io.modelward.deployer.DeploymentTraffic;
import io.modelward.governance.Actor;
import io.modelward.governance.AuditRecord;
import io.modelward.governance.Outcome;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * Forwards one inference request and audits it, in this order: resolve the model's deployment (waking it when scaled
 * to zero); stream the body to a ready replica with the deployment's internal token, hashing it on the way; read and
 * hash the answer and summarise it; write the audit record and wait until it is committed; only then hand the answer
 * back. Every way a request can end (unknown model, stopped, not ready in time, timeout, runtime error, bad input,
 * overload) becomes an answer with its status and is audited with its outcome. When the record cannot be written,
 * the caller gets 503 and never the model's answer.
 */
@Service
public class InferenceGateway {

    private static final Logger log = LoggerFactory.getLogger(InferenceGateway.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Duration AUDIT_WAIT = Duration.ofSeconds(10);

    private final DeploymentRouter router;
    private final DeploymentTraffic traffic;
    private final AuditWriter audit;
    private final GatewayProperties properties;
    private final ObjectMapper json;
    private final RuntimeCalls runtime;
    private final Clock clock = Clock.systemUTC();

    InferenceGateway(DeploymentRouter router, DeploymentTraffic traffic, AuditWriter audit,
            GatewayProperties properties, ObjectMapper json) {
        this.router = router;
        this.traffic = traffic;
        this.audit = audit;
        this.properties = properties;
        this.json = json;
        this.runtime = new RuntimeCalls(properties.timeout(), properties.maxResponseSize().toBytes());
    }

    /**
     * One request as it reached the portal.
     *
     * @param version the version the caller named, or empty for whichever is deployed
     * @param query the query string passed on to the runtime (e.g. {@code topk=5}), or empty
     * @param binaryHeaderLength the V2 binary extension's {@code Inference-Header-Content-Length}, if sent
     */
    public record Call(Protocol protocol, String model, String version, String query, Actor actor,
            @Nullable String clientId, @Nullable String sourceIp, @Nullable String requestId,
            @Nullable String purpose, @Nullable String contentType, long contentLength,
            @Nullable String binaryHeaderLength, InputStream body) {
    }

    /** What the caller gets: a status, a body (the runtime's, or an error message) and the request id to echo. */
    public record Answer(int status, @Nullable String contentType, byte[] body, @Nullable String error,
            String requestId) {

        static Answer error(int status, String message, String requestId) {
            return new Answer(status, null, new byte[0], message, requestId);
        }

        /** Why a failed call failed: the gateway's own message, or the runtime's {@code {"error"}}. */
        public String errorMessage(ObjectMapper json) {
            if (error != null) {
                return error;
            }
            try {
                return json.readTree(body).path("error").asString("The model failed (HTTP " + status + ").");
            }
            catch (RuntimeException ex) {
                return "The model failed (HTTP " + status + ").";
            }
        }
    }

    public Answer forward(Call call) {
        long started = System.nanoTime();
        String requestId = call.requestId() != null && REQUEST_ID.matcher(call.requestId()).matches()
                ? call.requestId() : UUID.randomUUID().toString();
        HashedBody input = new HashedBody(call.body(), properties.maxBodySize().toBytes());
        Routed routed = route(call, requestId);
        Answer answer;
        if (routed.answer() != null) {
            answer = routed.answer();
        }
        else {
            answer = send(call, routed.target(), input, requestId);
        }
        input.drain();
        String outputSha = answer.error() == null ? sha256(answer.body()) : null;
        Summaries.Summary summary = answer.error() != null ? new Summaries.Summary("error: " + answer.error())
                : Summaries.of(json, call.protocol(), answer.status(), answer.body(), answer.contentType());
        // without a request id of its own, the caller learns the one the V2 answer echoes
        String echoedId = call.requestId() == null && summary.id() != null && REQUEST_ID.matcher(summary.id()).matches()
                ? summary.id() : requestId;
        AuditRecord record = new AuditRecord(clock.instant(), echoedId, call.actor().subject(),
                call.actor().displayName(), AuditRecord.roles(call.actor()), call.clientId(), call.sourceIp(),
                "INFER", call.model(), routed.target() == null ? emptyToNull(call.version())
                        : routed.target().spec().version(),
                routed.target() == null ? null : routed.target().name(),
                routed.target() == null ? null : routed.target().runtime().modelSha256(), input.hex(), input.size(),
                call.contentType(), summary.text(), outputSha, answer.status(), Outcome.ofStatus(answer.status()),
                (System.nanoTime() - started) / 1_000, call.purpose(), input.overflowed() ? "body over the limit" : null);
        try {
            audit.writeWithin(record, AUDIT_WAIT);
        }
        catch (AuditWriter.AuditUnavailable ex) {
            log.error("[{}] Not answered: the audit record could not be written ({})", echoedId, ex.getMessage());
            return Answer.error(503, "The request could not be recorded in the audit trail, so it is not answered. "
                    + "Try again shortly.", echoedId);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "The portal is stopping.", echoedId);
        }
        return new Answer(answer.status(), answer.contentType(), answer.body(), answer.error(), echoedId);
    }

    /** The runtime's V2 metadata of a model (name, versions, platform, inputs, outputs); not an inference, not audited. */
    public Answer metadata(String model, String version) {
        String requestId = UUID.randomUUID().toString();
        Routed routed = route(new Call(Protocol.V2_INFER, model, version, "", Actor.of("metadata"), null, null, null,
                null, null, 0, null, InputStream.nullInputStream()), requestId);
        if (routed.answer() != null) {
            return routed.answer();
        }
        try {
            URI endpoint = router.endpoint(routed.target(), properties.activationTimeout())
                    .get(properties.activationTimeout().toMillis(), TimeUnit.MILLISECONDS);
            RuntimeCalls.Reply reply = runtime.get(endpoint.resolve("/v2/models/" + model
                    + (version.isEmpty() ? "" : "/versions/" + version)), routed.target().runtime().token());
            return reply == null ? Answer.error(502, "The model's metadata is too large.", requestId)
                    : new Answer(reply.status(), reply.contentType(), reply.body(), null, requestId);
        }
        catch (TimeoutException | ExecutionException | IOException ex) {
            return Answer.error(503, "Model '" + model + "' is not ready.", requestId);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "The portal is stopping.", requestId);
        }
    }

    /** Audits a request refused before it reached the gateway (no or bad token, missing role). */
    public boolean auditRefusal(Protocol protocol, String model, @Nullable String version, @Nullable Actor actor,
            @Nullable String sourceIp, @Nullable String requestId, @Nullable String purpose, int status,
            String reason) {
        return auditUnserved(new InferencePath(protocol, model, version), actor, sourceIp, requestId, purpose, status,
                Outcome.ofStatus(status), null, reason);
    }

    /**
     * Audits a request that ended before the gateway served it: refused (a token, a role, a limit, a body too slow) or
     * abandoned by its client. False when the record could not be written, and the caller must get 503 instead.
     *
     * @param status the status sent, or null when nothing could be sent (the client went away)
     * @param inputSize the body's bytes received, if any were read
     */
    public boolean auditUnserved(InferencePath call, @Nullable Actor actor, @Nullable String sourceIp,
            @Nullable String requestId, @Nullable String purpose, @Nullable Integer status, Outcome outcome,
            @Nullable Long inputSize, String reason) {
        String id = requestId != null && REQUEST_ID.matcher(requestId).matches() ? requestId : UUID.randomUUID().toString();
        AuditRecord record = new AuditRecord(clock.instant(), id, actor == null ? "anonymous" : actor.subject(),
                actor == null ? null : actor.displayName(), actor == null ? null : AuditRecord.roles(actor), null,
                sourceIp, "INFER", call.model(), call.version(), null, null, null, inputSize, null, "error: " + reason,
                null, status, outcome, null, purpose, call.protocol().name());
        return written(record);
    }

    private boolean written(AuditRecord record) {
        try {
            audit.writeWithin(record, AUDIT_WAIT);
            return true;
        }
        catch (AuditWriter.AuditUnavailable ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Routed(DeploymentRouter.@Nullable Target target, @Nullable Answer answer) {
    }

    private Routed route(Call call, String requestId) {
        Optional<DeploymentRouter.Target> found;
        try {
            found = router.resolve(call.model(), emptyToNull(call.version()));
        }
        catch (DataAccessException ex) {
            log.error("[{}] Deployments could not be looked up: {}", requestId, ex.toString());
            return new Routed(null, Answer.error(503, "Model '" + call.model() + "' could not be looked up: the "
                    + "portal's database is unreachable. Try again shortly.", requestId));
        }
        if (found.isEmpty()) {
            return new Routed(null, Answer.error(404, "Model '" + call.model() + "'"
                    + (call.version().isEmpty() ? "" : " version '" + call.version() + "'") + " is not deployed.",
                    requestId));
        }
        DeploymentRouter.Target target = found.get();
        if (target.stopped()) {
            return new Routed(target, Answer.error(503, "Model '" + call.model() + "' is stopped (deployment '"
                    + target.name() + "').", requestId));
        }
        if (call.contentLength() > properties.maxBodySize().toBytes()) {
            return new Routed(target, Answer.error(413, "The request body (" + call.contentLength()
                    + " bytes) is larger than the limit of " + properties.maxBodySize().toBytes() + " bytes.", requestId));
        }
        return new Routed(target, null);
    }

    private Answer send(Call call, DeploymentRouter.Target target, HashedBody input, String requestId) {
        try (DeploymentTraffic.Lease lease = traffic.begin(target.name())) {
            URI endpoint;
            try {
                endpoint = router.endpoint(target, properties.activationTimeout())
                        .get(properties.activationTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException | ExecutionException ex) {
                return Answer.error(503, "Model '" + call.model() + "' is not ready: deployment '" + target.name()
                        + "' did not become ready within " + properties.activationTimeout().toSeconds() + " s.",
                        requestId);
            }
            RuntimeCalls.Reply reply = runtime.post(endpoint.resolve(call.protocol().runtimePath(call.model(),
                    call.version(), call.query())), target.runtime().token(), requestId, call.contentType(),
                    call.binaryHeaderLength(), call.contentLength(), input);
            if (reply == null) {
                return Answer.error(502, "The model's answer is larger than the limit of "
                        + properties.maxResponseSize().toBytes() + " bytes.", requestId);
            }
            return new Answer(reply.status(), reply.contentType(), reply.body(), null, requestId);
        }
        catch (SocketTimeoutException ex) {
            return Answer.error(504, "Model '" + call.model() + "' did not answer within "
                    + properties.timeout().toSeconds() + " s.", requestId);
        }
        catch (ConnectException ex) {
            return Answer.error(503, "The runtime of model '" + call.model() + "' could not be reached.", requestId);
        }
        catch (IOException ex) {
            if (input.overflowed()) {
                return Answer.error(413, "The request body is larger than the limit of "
                        + properties.maxBodySize().toBytes() + " bytes.", requestId);
            }
            return Answer.error(502, "The runtime of model '" + call.model() + "' failed: " + ex.getMessage(), requestId);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "The portal is stopping.", requestId);
        }
    }

    private static @Nullable String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
