package io.modelward.governance;

import java.util.Arrays;
import java.util.Optional;

/**
 * The platform's roles. Their names are the Keycloak realm role names; each maps to a Spring authority
 * {@code ROLE_<NAME>} (upper case, dashes as underscores), e.g. {@code model-approver} to {@code ROLE_MODEL_APPROVER}.
 */
public enum Role {
    RESEARCHER("researcher"),
    MODEL_APPROVER("model-approver"),
    AUDITOR("auditor"),
    ADMIN("admin"),
    INFERENCE_CLIENT("inference-client");

    private final String realmRole;

    Role(String realmRole) {
        this.realmRole = realmRole;
    }

    /** The role's name in the identity provider, e.g. {@code model-approver}. */
    public String realmRole() {
        return realmRole;
    }

    /** The Spring Security authority, e.g. {@code ROLE_MODEL_APPROVER}. */
    public String authority() {
        return "ROLE_" + name();
    }

    public static Optional<Role> fromRealmRole(String name) {
        return Arrays.stream(values()).filter(r -> r.realmRole.equals(name)).findFirst();
    }

    public static Optional<Role> fromAuthority(String authority) {
        return Arrays.stream(values()).filter(r -> r.authority().equals(authority)).findFirst();
    }
}
