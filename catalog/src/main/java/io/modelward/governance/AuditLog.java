package io.modelward.governance;

/**
 * The one interface every governance action is recorded through. {@link #record} writes within the caller's
 * transaction, so an action and its audit record commit or roll back together: nothing happens unaudited. Refusals and
 * logins are written at once by {@link #recordNow}, in a transaction of their own, so they stay on the trail when the
 * caller's transaction rolls back, as a refused action's does.
 */
public interface AuditLog {

    void record(GovernanceEvent event);

    /** Writes a security event (a refusal, a login or logout) at once, whatever becomes of the caller's transaction. */
    void recordNow(SecurityEvent event);

    /**
     * Records the refusal of an attempted action (outcome DENIED, the reason as the event's detail) and returns the 403
     * to throw. Nothing of the attempt is written but that row.
     */
    ProblemException denied(GovernanceEvent attempt);
}
