package io.modelward.portal.security;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.modelward.governance.Actor;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.GovernanceEvent;
import org.jspecify.annotations.Nullable;

/**
 * What a request refused by Spring Security tried to do: the governance action its method and path lead to, with the
 * model, version or deployment the path names, so its DENIED row reads like one refused by a service. A path that
 * leads to no action (a page the roles do not open) is {@link GovernanceAction#ACCESS}.
 */
final class Attempts {

    private record Route(String method, Pattern path, GovernanceAction action) {
    }

    private static final String VERSION = "(?:/api)?/models/(?<model>[^/]+)/versions/(?<version>[^/]+)";
    private static final String DEPLOYMENT = "(?:/api)?/deployments/(?<deployment>[^/]+)";

    private static final List<Route> ROUTES = List.of(
            route("POST", VERSION + "/submit", GovernanceAction.VERSION_SUBMITTED),
            route("POST", VERSION + "/approve", GovernanceAction.VERSION_APPROVED),
            route("POST", VERSION + "/reject", GovernanceAction.VERSION_REJECTED),
            route("POST", VERSION + "/retire", GovernanceAction.VERSION_RETIRED),
            route("PUT", VERSION + "/artifacts/[^/]+", GovernanceAction.ARTIFACT_UPLOADED),
            route("POST", "/api/models/(?<model>[^/]+)/versions|/models/(?<model2>[^/]+)/versions/new",
                    GovernanceAction.VERSION_REGISTERED),
            route("POST", "/api/models|/models/new", GovernanceAction.MODEL_REGISTERED),
            route("POST", "/licenses", GovernanceAction.LICENSE_POLICY_CHANGED),
            route("PUT", "/api/licenses/[^/]+", GovernanceAction.LICENSE_POLICY_CHANGED),
            route("POST", "/api/deployments|/deployments/new", GovernanceAction.DEPLOYMENT_CREATED),
            route("POST", DEPLOYMENT + "/scale", GovernanceAction.DEPLOYMENT_SCALED),
            route("POST", DEPLOYMENT + "/stop", GovernanceAction.DEPLOYMENT_STOPPED),
            route("POST", DEPLOYMENT + "/start", GovernanceAction.DEPLOYMENT_STARTED),
            route("POST", DEPLOYMENT + "/delete", GovernanceAction.DEPLOYMENT_DELETED),
            route("DELETE", DEPLOYMENT, GovernanceAction.DEPLOYMENT_DELETED),
            route("POST", "(?:/api)?/audit/verify", GovernanceAction.AUDIT_VERIFIED),
            route("GET", "/audit/export\\.[a-z.]+", GovernanceAction.AUDIT_EXPORTED),
            route("GET", "(?:/api)?/audit(?:/.*)?", GovernanceAction.AUDIT_READ));

    private Attempts() {
    }

    private static Route route(String method, String path, GovernanceAction action) {
        return new Route(method, Pattern.compile(path), action);
    }

    /** The attempt behind a refused request; its detail is the reason, then the method and path. */
    static GovernanceEvent of(Actor actor, String method, String path, String reason) {
        String detail = reason + " (" + method.toUpperCase(Locale.ROOT) + " " + path + ")";
        for (Route route : ROUTES) {
            Matcher m = route.path().matcher(path);
            if (route.method().equalsIgnoreCase(method) && m.matches()) {
                String model = group(m, "model") != null ? group(m, "model") : group(m, "model2");
                return new GovernanceEvent(actor, route.action(), model, group(m, "version"), group(m, "deployment"),
                        detail);
            }
        }
        return new GovernanceEvent(actor, GovernanceAction.ACCESS, null, null, null, detail);
    }

    private static @Nullable String group(Matcher m, String name) {
        return m.pattern().pattern().contains("(?<" + name + ">") ? m.group(name) : null;
    }
}
