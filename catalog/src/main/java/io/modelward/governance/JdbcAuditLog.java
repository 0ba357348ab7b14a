package io.modelward.governance;

import java.time.Clock;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes governance actions to the audit trail's {@value #CHAIN} chain, inside the transaction of the action it
 * records: the action and its row commit or roll back together, so nothing happens unaudited.
 */
@Component
class JdbcAuditLog implements AuditLog {

    static final String CHAIN = "governance";

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
}
