package io.modelward.governance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

/**
 * One row of the audit trail before it joins a chain: who did what to which model, when, with which input and output
 * (by SHA-256, never the data itself), and how it ended. Time is kept to the microsecond, as PostgreSQL stores it, so
 * the hash computed before the insert is the one the verifier recomputes from the row.
 */
public record AuditRecord(Instant at, @Nullable String requestId, String actorSubject, @Nullable String actorName,
        @Nullable String actorRoles, @Nullable String clientId, @Nullable String sourceIp, String action,
        @Nullable String model, @Nullable String version, @Nullable String deployment,
        @Nullable String artifactSha256, @Nullable String inputSha256, @Nullable Long inputSize,
        @Nullable String contentType, @Nullable String outputSummary, @Nullable String outputSha256,
        @Nullable Integer httpStatus, @Nullable Outcome outcome, @Nullable Long latencyMicros, @Nullable String purpose,
        @Nullable String detail) {

    public AuditRecord {
        at = at.truncatedTo(ChronoUnit.MICROS);
        requestId = clip(requestId, 128);
        actorSubject = actorSubject.length() <= 200 ? actorSubject : actorSubject.substring(0, 199) + "…";
        model = clip(model, 63);
        version = clip(version, 63);
        deployment = clip(deployment, 63);
        actorName = clip(actorName, 200);
        actorRoles = clip(actorRoles, 200);
        clientId = clip(clientId, 200);
        sourceIp = clip(sourceIp, 64);
        contentType = clip(contentType, 200);
        outputSummary = clip(outputSummary, 1000);
        purpose = clip(purpose, 200);
        detail = clip(detail, 4000);
    }

    /** A governance action (register, approve, deploy, ...) by a person, done when this is written. */
    public static AuditRecord governance(Instant at, GovernanceEvent event) {
        Actor actor = event.actor();
        return new AuditRecord(at, null, actor.subject(), actor.displayName(), roles(actor), null, null,
                event.action().name(), event.model(), event.version(), event.deployment(), null, null, null, null,
                null, null, null, Outcome.OK, null, null, event.detail());
    }

    /** A refusal, login or logout, written when it happens. */
    public static AuditRecord security(Instant at, SecurityEvent event) {
        Actor actor = event.actor();
        return new AuditRecord(at, null, actor.subject(), actor.displayName(), roles(actor), null, event.sourceIp(),
                event.action().name(), event.model(), event.version(), event.deployment(), null, null, null, null,
                null, null, event.httpStatus(), event.outcome(), null, null, event.detail());
    }

    public static String roles(Actor actor) {
        return String.join(",", actor.roles().stream().map(Role::realmRole).sorted().toList());
    }

    private static @Nullable String clip(@Nullable String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
