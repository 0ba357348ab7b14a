package io.modelward.governance;

import org.jspecify.annotations.Nullable;

/** One governance action, as handed to the {@link AuditLog}. */
public record GovernanceEvent(Actor actor, GovernanceAction action, @Nullable String model, @Nullable String version,
        @Nullable String detail) {
}
