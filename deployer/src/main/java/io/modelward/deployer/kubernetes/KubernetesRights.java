package io.modelward.deployer.kubernetes;

import java.util.List;
import java.util.Set;

/**
 * Exactly the Kubernetes API rights the backend uses, in each namespace it deploys to: the one list that the Helm
 * chart's Role ({@code helm/modelward/templates/role.yaml}) and {@code docs/kubernetes-rbac.md} must equal. A test
 * drives the backend through every code path against a recording API server and checks its requests against this
 * list, both ways; another renders the chart and compares its Role.
 */
public final class KubernetesRights {

    /** One rule of a namespaced Role: an API group (empty for the core group), a resource and its verbs. */
    public record Rule(String apiGroup, String resource, Set<String> verbs) {

        public Rule {
            verbs = Set.copyOf(verbs);
        }
    }

    public static final List<Rule> RULES = List.of(
            new Rule("apps", "deployments", Set.of("get", "list", "watch", "create", "update", "delete")),
            new Rule("", "services", Set.of("get", "create", "update", "delete")),
            new Rule("", "secrets", Set.of("get", "create", "update", "delete")),
            new Rule("autoscaling", "horizontalpodautoscalers", Set.of("get", "create", "update", "delete")),
            new Rule("policy", "poddisruptionbudgets", Set.of("get", "create", "update", "delete")));

    private KubernetesRights() {
    }
}
