package io.modelward.governance;

import org.jspecify.annotations.Nullable;

/** One governance action, as handed to the {@link AuditLog}. */
public record GovernanceEvent(Actor actor, GovernanceAction action, @Nullable String model, @Nullable String version,
        @Nullable String deployment, @Nullable String detail) {

    /** An action on the catalog, which concerns no deployment. */
    public GovernanceEvent(Actor actor, GovernanceAction action, @Nullable String model, @Nullable String version,
            @Nullable String detail) {
        this(actor, action, model, version, null, detail);
    }
}
