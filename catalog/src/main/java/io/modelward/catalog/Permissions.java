package io.modelward.catalog;

import java.util.Collection;

import io.modelward.governance.Actor;
import io.modelward.governance.AuditLog;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.GovernanceEvent;
import io.modelward.governance.Role;
import org.jspecify.annotations.Nullable;

/**
 * The catalog's authorization rules, checked on the server for every action. A refusal is recorded on the audit trail
 * (outcome DENIED, with the attempted action, its object and the reason) and thrown as a 403.
 */
final class Permissions {

    private Permissions() {
    }

    static void requireCanRegisterModels(AuditLog audit, Actor actor, String model) {
        if (!actor.has(Role.RESEARCHER)) {
            throw audit.denied(new GovernanceEvent(actor, GovernanceAction.MODEL_REGISTERED, model, null,
                    "Only researchers register models."));
        }
    }

    /** The model's owner (a researcher) or an admin may add versions and artifacts and submit them. */
    static void requireCanEdit(AuditLog audit, Actor actor, GovernanceAction action, Model model,
            @Nullable String version) {
        boolean owner = actor.has(Role.RESEARCHER) && actor.subject().equals(model.owner());
        if (!owner && !actor.isAdmin()) {
            throw audit.denied(new GovernanceEvent(actor, action, model.name(), version, "Only the owner of model '"
                    + model.name() + "' (" + model.owner() + ") or an admin may change it."));
        }
    }

    /**
     * Four eyes: an approver decides, and never on a version they registered, submitted, uploaded a file to, or own the
     * model of.
     */
    static void requireCanDecide(AuditLog audit, Actor actor, GovernanceAction action, ModelVersion version,
            Collection<String> uploaders) {
        String who = actor.subject();
        String refusal = null;
        if (!actor.has(Role.MODEL_APPROVER)) {
            refusal = "Only model approvers approve or reject versions.";
        }
        else if (who.equals(version.submittedBy()) || who.equals(version.createdBy())
                || who.equals(version.model().owner()) || uploaders.contains(who)) {
            refusal = "Four eyes: " + who + " submitted, uploaded to or owns " + version.model().name() + " "
                    + version.label() + " and cannot decide on it; another approver must.";
        }
        if (refusal != null) {
            throw audit.denied(new GovernanceEvent(actor, action, version.model().name(), version.label(), refusal));
        }
    }

    static void requireCanRetire(AuditLog audit, Actor actor, ModelVersion version) {
        boolean owner = actor.has(Role.RESEARCHER) && actor.subject().equals(version.model().owner());
        if (!owner && !actor.has(Role.MODEL_APPROVER) && !actor.isAdmin()) {
            throw audit.denied(new GovernanceEvent(actor, GovernanceAction.VERSION_RETIRED, version.model().name(),
                    version.label(), "Only the model's owner, an approver or an admin may retire a version."));
        }
    }
}
