package io.modelward.portal.audit;

import io.modelward.governance.Actor;
import io.modelward.governance.AuditLog;
import io.modelward.governance.AuditVerifier;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.GovernanceEvent;
import io.modelward.governance.Role;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who may read the audit trail, and the record of its reading: only auditors and admins see, check or export it,
 * and every check and export joins the trail itself, so the people who watch are watched too.
 */
@Component
class AuditUse {

    private final AuditVerifier verifier;
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    AuditUse(AuditVerifier verifier, AuditLog audit, TransactionTemplate transactions) {
        this.verifier = verifier;
        this.audit = audit;
        this.transactions = transactions;
    }

    /** Refuses anyone but auditors and admins, whatever route they came by; the refusal joins the trail. */
    void requireAuditor(Actor actor, GovernanceAction attempted) {
        if (!actor.has(Role.AUDITOR) && !actor.isAdmin()) {
            throw audit.denied(new GovernanceEvent(actor, attempted, null, null,
                    "Only auditors and admins may read, check or export the audit trail."));
        }
    }

    /** Checks every chain, then records who checked and what the check found. */
    AuditVerifier.Result verify(Actor actor) {
        requireAuditor(actor, GovernanceAction.AUDIT_VERIFIED);
        AuditVerifier.Result result = verifier.verify();
        AuditVerifier.Break broken = result.firstBreak();
        String found = broken == null
                ? "intact: " + result.rows() + " rows in " + result.chains() + " chains"
                : "broken: chain " + broken.chainId() + " at row " + broken.seq() + ": " + broken.reason();
        record(actor, GovernanceAction.AUDIT_VERIFIED, found);
        return result;
    }

    /** Records an export before its first byte leaves, so an export cut short is on the trail too. */
    void exported(Actor actor, String format, AuditFilter filter) {
        requireAuditor(actor, GovernanceAction.AUDIT_EXPORTED);
        record(actor, GovernanceAction.AUDIT_EXPORTED, "format=" + format + "; filters: " + filter.describe());
    }

    private void record(Actor actor, GovernanceAction action, String detail) {
        transactions.executeWithoutResult(status -> audit.record(new GovernanceEvent(actor, action, null, null,
                detail)));
    }
}
