package io.modelward.governance;

/**
 * The one interface every governance action is recorded through. Implementations write within the caller's
 * transaction, so an action and its audit record commit or roll back together: nothing happens unaudited.
 */
public interface AuditLog {

    void record(GovernanceEvent event);
}
