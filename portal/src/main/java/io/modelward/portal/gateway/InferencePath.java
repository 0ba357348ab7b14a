package io.modelward.portal.gateway;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * An inference call as its path names it: {@code POST /v2/models/{m}[/versions/{v}]/infer},
 * {@code POST /v1/models/{m}:predict} or {@code POST /api/models/{m}/classify}. Read from the request before any
 * controller runs, so refusals (authentication, limits, slow bodies) are audited against the model they were for.
 *
 * @param version the version named in the path, or null
 */
public record InferencePath(Protocol protocol, String model, @Nullable String version) {

    private static final Pattern CALL = Pattern.compile(
            "/v2/models/([^/]+)(?:/versions/([^/]+))?/infer|/v1/models/([^/:]+):predict|/api/models/([^/]+)/classify");

    /** The call a request makes, or null when it is no inference call. */
    public static @Nullable InferencePath of(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return null;
        }
        Matcher call = CALL.matcher(request.getRequestURI().substring(request.getContextPath().length()));
        if (!call.matches()) {
            return null;
        }
        if (call.group(1) != null) {
            return new InferencePath(Protocol.V2_INFER, call.group(1), call.group(2));
        }
        return call.group(3) != null ? new InferencePath(Protocol.V1_PREDICT, call.group(3), null)
                : new InferencePath(Protocol.CLASSIFY, call.group(4), null);
    }

    /** Whether errors on this path are KServe's {@code {"error": ...}} rather than RFC 9457 problems. */
    public static boolean kserve(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/v1/") || path.startsWith("/v2/") || path.equals("/v2");
    }
}
