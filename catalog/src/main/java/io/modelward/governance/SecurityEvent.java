package io.modelward.governance;

import org.jspecify.annotations.Nullable;

/**
 * A refused action, a login, a failed login, a logout or a lockout, as {@link AuditLog#recordNow} writes it: who, what,
 * on which object, how it ended and why. Never a password.
 */
public record SecurityEvent(Actor actor, GovernanceAction action, Outcome outcome, @Nullable Integer httpStatus,
        @Nullable String model, @Nullable String version, @Nullable String deployment, @Nullable String sourceIp,
        @Nullable String detail) {

    /** The refusal (403) of an attempted action; its detail is the reason. */
    public static SecurityEvent denied(GovernanceEvent attempt, @Nullable String sourceIp) {
        return new SecurityEvent(attempt.actor(), attempt.action(), Outcome.DENIED, 403, attempt.model(),
                attempt.version(), attempt.deployment(), sourceIp, attempt.detail());
    }

    /** A login, logout or lockout: no object, only who, from where, and why. */
    public static SecurityEvent session(Actor actor, GovernanceAction action, Outcome outcome,
            @Nullable Integer httpStatus, @Nullable String sourceIp, @Nullable String detail) {
        return new SecurityEvent(actor, action, outcome, httpStatus, null, null, null, sourceIp, detail);
    }
}
