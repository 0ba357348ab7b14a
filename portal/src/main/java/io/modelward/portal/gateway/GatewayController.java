package io.modelward.portal.gateway;

import java.io.IOException;
import java.util.Map;

import io.modelward.deployer.DeploymentRouter;
import io.modelward.deployer.ObservedState;
import io.modelward.governance.Actor;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * KServe V2 (Open Inference Protocol) and V1 on the portal's base URL, so a KServe client works unchanged with a bearer
 * token, and the image endpoint {@code POST /api/models/{name}/classify}. Inference calls go through the audited
 * {@link InferenceGateway}; errors are {@code {"error": ...}} on the protocol endpoints and RFC 9457 problems on
 * {@code /api}.
 */
@RestController
class GatewayController {

    private final InferenceGateway gateway;
    private final DeploymentRouter router;
    private final ObjectMapper json;
    private final AuditReadiness readiness;

    GatewayController(InferenceGateway gateway, DeploymentRouter router, ObjectMapper json, AuditReadiness readiness) {
        this.gateway = gateway;
        this.router = router;
        this.json = json;
        this.readiness = readiness;
    }

    @GetMapping("/v2/health/live")
    Map<String, Boolean> live() {
        return Map.of("live", true);
    }

    /** Ready only while the audit trail can be written: otherwise every inference request would get 503. */
    @GetMapping("/v2/health/ready")
    ResponseEntity<Map<String, Boolean>> ready() {
        boolean ready = readiness.ready();
        return ResponseEntity.status(ready ? 200 : 503).body(Map.of("ready", ready));
    }

    @GetMapping("/v2")
    Map<String, Object> server() {
        return Map.of("name", "modelward", "version", "0.1.0", "extensions", new String[] { "binary_tensor_data" });
    }

    @GetMapping({ "/v2/models/{model}/ready", "/v2/models/{model}/versions/{version}/ready" })
    ResponseEntity<Map<String, Object>> modelReady(@PathVariable String model,
            @PathVariable(required = false) @Nullable String version) {
        return router.resolve(model, version)
                .map(target -> ResponseEntity.ok(Map.<String, Object>of("name", model, "ready",
                        !target.stopped() && target.status() == ObservedState.READY)))
                .orElseGet(() -> ResponseEntity.status(404).body(Map.of("error", notDeployed(model, version))));
    }

    @GetMapping({ "/v2/models/{model}", "/v2/models/{model}/versions/{version}" })
    ResponseEntity<byte[]> metadata(@PathVariable String model, @PathVariable(required = false) @Nullable String version) {
        return protocolAnswer(gateway.metadata(model, version == null ? "" : version));
    }

    @GetMapping("/v1/models/{model}")
    ResponseEntity<Map<String, Object>> v1Ready(@PathVariable String model) {
        return modelReady(model, null);
    }

    @PostMapping({ "/v2/models/{model}/infer", "/v2/models/{model}/versions/{version}/infer" })
    ResponseEntity<byte[]> v2Infer(@PathVariable String model, @PathVariable(required = false) @Nullable String version,
            Actor actor, HttpServletRequest request) throws IOException {
        return protocolAnswer(gateway.forward(call(Protocol.V2_INFER, model, version, "", actor, request)));
    }

    @PostMapping("/v1/models/{verb}")
    ResponseEntity<byte[]> v1(@PathVariable String verb, Actor actor, HttpServletRequest request) throws IOException {
        if (!verb.endsWith(":predict")) {
            return protocolAnswer(InferenceGateway.Answer.error(404, "Use POST /v1/models/{name}:predict.", ""));
        }
        String model = verb.substring(0, verb.length() - ":predict".length());
        return protocolAnswer(gateway.forward(call(Protocol.V1_PREDICT, model, null, "", actor, request)));
    }

    @PostMapping("/api/models/{model}/classify")
    ResponseEntity<byte[]> classify(@PathVariable String model, Actor actor, HttpServletRequest request)
            throws IOException {
        String topK = request.getParameter("topk");
        String query = topK != null && topK.matches("[0-9]{1,4}") ? "topk=" + topK : "topk=5";
        InferenceGateway.Answer answer = gateway.forward(call(Protocol.CLASSIFY, model, null, query, actor, request));
        if (answer.error() == null && answer.status() < 400) {
            return withId(ResponseEntity.status(answer.status()), answer).contentType(MediaType.APPLICATION_JSON)
                    .body(answer.body());
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(answer.status()),
                answer.errorMessage(json));
        problem.setInstance(java.net.URI.create(request.getRequestURI()));
        return withId(ResponseEntity.status(answer.status()), answer).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(json.writeValueAsBytes(problem));
    }

    private InferenceGateway.Call call(Protocol protocol, String model, @Nullable String version, String query,
            Actor actor, HttpServletRequest request) throws IOException {
        return new InferenceGateway.Call(protocol, model, version == null ? "" : version, query, actor, clientId(),
                request.getRemoteAddr(), request.getHeader("X-Request-Id"), request.getHeader("X-Purpose-Of-Use"),
                request.getContentType(), request.getContentLengthLong(),
                request.getHeader("Inference-Header-Content-Length"), request.getInputStream());
    }

    private ResponseEntity<byte[]> protocolAnswer(InferenceGateway.Answer answer) {
        ResponseEntity.BodyBuilder response = withId(ResponseEntity.status(answer.status()), answer);
        if (answer.error() != null) {
            return response.contentType(MediaType.APPLICATION_JSON)
                    .body(json.writeValueAsBytes(Map.of("error", answer.error())));
        }
        if (answer.contentType() != null) {
            response.header("Content-Type", answer.contentType());
        }
        return response.body(answer.body());
    }


    private static ResponseEntity.BodyBuilder withId(ResponseEntity.BodyBuilder response, InferenceGateway.Answer answer) {
        return answer.requestId().isEmpty() ? response : response.header("X-Request-Id", answer.requestId());
    }

    private static @Nullable String clientId() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken jwt
                ? jwt.getToken().getClaimAsString("azp") : null;
    }

    private static String notDeployed(String model, @Nullable String version) {
        return "Model '" + model + "'" + (version == null ? "" : " version '" + version + "'") + " is not deployed.";
    }
}
