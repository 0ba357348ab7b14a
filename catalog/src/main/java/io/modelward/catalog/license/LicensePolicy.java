package io.modelward.catalog.license;

import java.util.List;
import java.util.Objects;

import io.modelward.governance.Actor;
import io.modelward.governance.AuditLog;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.GovernanceEvent;
import io.modelward.governance.ProblemException;
import io.modelward.governance.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The license policy: which SPDX licenses may run here. Ids are matched case-insensitively, as SPDX defines;
 * an id the policy does not list needs review. Only admins change the policy, and every change is audited.
 */
@Service
public class LicensePolicy {

    private final LicensePolicyRepository rules;
    private final AuditLog audit;

    LicensePolicy(LicensePolicyRepository rules, AuditLog audit) {
        this.rules = rules;
        this.audit = audit;
    }

    @Transactional(readOnly = true)
    public LicenseVerdict verdictFor(String spdxId) {
        return rules.findBySpdxIdIgnoreCase(spdxId.strip()).map(LicensePolicyEntry::verdict).orElse(LicenseVerdict.REVIEW);
    }

    @Transactional(readOnly = true)
    public List<LicenseRule> rules() {
        return rules.findAllByOrderBySpdxIdAsc().stream().map(LicensePolicyEntry::toRule).toList();
    }

    /** Adds a rule or changes an existing one. */
    @Transactional
    public LicenseRule put(Actor actor, String spdxId, String name, LicenseVerdict verdict, @Nullable String note) {
        if (!actor.has(Role.ADMIN)) {
            throw audit.denied(new GovernanceEvent(actor, GovernanceAction.LICENSE_POLICY_CHANGED, null, null,
                    "Only an admin may change the license policy (" + spdxId.strip() + " to " + verdict + ")."));
        }
        String id = SpdxId.require(spdxId);
        String displayName = name == null || name.isBlank() ? id : name.strip();
        if (displayName.length() > 200) {
            throw ProblemException.invalid("invalid-license", "The license name is longer than 200 characters.");
        }
        String cleanNote = note == null || note.isBlank() ? null : note.strip();
        if (cleanNote != null && cleanNote.length() > 1000) {
            throw ProblemException.invalid("invalid-license", "The note is longer than 1000 characters.");
        }
        LicensePolicyEntry entry = rules.findBySpdxIdIgnoreCase(id).orElse(null);
        String before = entry == null ? "none" : entry.verdict().name();
        if (entry == null) {
            entry = rules.save(new LicensePolicyEntry(id, displayName, verdict, cleanNote, actor.subject()));
        }
        else {
            entry.update(displayName, verdict, cleanNote, actor.subject());
        }
        audit.record(new GovernanceEvent(actor, GovernanceAction.LICENSE_POLICY_CHANGED, null, null,
                entry.spdxId() + ": " + before + " -> " + Objects.requireNonNull(verdict)));
        return entry.toRule();
    }
}
