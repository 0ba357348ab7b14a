package io.modelward.governance;

import java.time.Clock;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes governance actions to the audit trail's {@value #CHAIN} chain, inside the transaction of the action it
 * records: the action and its row commit or roll back together, so nothing happens unaudited. Refusals, logins and
 * logouts go to the {@value #SECURITY} chain in a transaction of their own, committed before the caller goes on: a
 * refusal is usually thrown inside the refused action's transaction, which rolls back. Their own chain also means that
 * writing one never waits for the governance chain's head, which the caller's transaction may hold.
 */
@Component
class JdbcAuditLog implements AuditLog {

    static final String CHAIN = "governance";
    static final String SECURITY = "security";

    private final AuditChainStore chains;
    private final Clock clock = Clock.systemUTC();

    JdbcAuditLog(AuditChainStore chains) {
        this.chains = chains;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(GovernanceEvent event) {
        chains.append(CHAIN, List.of(AuditRecord.governance(clock.instant(), event)));
    }

    @Override
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordNow(SecurityEvent event) {
        chains.append(SECURITY, List.of(AuditRecord.security(clock.instant(), event)));
    }

    @Override
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public ProblemException denied(GovernanceEvent attempt) {
        chains.append(SECURITY, List.of(AuditRecord.security(clock.instant(), SecurityEvent.denied(attempt, null))));
        return ProblemException.forbidden(attempt.detail() == null ? "Not allowed." : attempt.detail());
    }
}
