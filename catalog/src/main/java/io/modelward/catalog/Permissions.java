package io.modelward.catalog;

import io.modelward.governance.Actor;
import io.modelward.governance.ProblemException;
import io.modelward.governance.Role;

/** The catalog's authorization rules, checked on the server for every action. */
final class Permissions {

    private Permissions() {
    }

    static void requireCanRegisterModels(Actor actor) {
        if (!actor.has(Role.RESEARCHER)) {
            throw ProblemException.forbidden("Only researchers register models.");
        }
    }

    /** The model's owner (a researcher) or an admin may add versions and artifacts and submit them. */
    static void requireCanEdit(Actor actor, Model model) {
        boolean owner = actor.has(Role.RESEARCHER) && actor.subject().equals(model.owner());
        if (!owner && !actor.isAdmin()) {
            throw ProblemException.forbidden("Only the owner of model '" + model.name() + "' (" + model.owner()
                    + ") or an admin may change it.");
        }
    }

    /**
     * Four eyes: an approver decides, and never on a version they registered, submitted, uploaded a file to, or own the
     * model of.
     */
    static void requireCanDecide(Actor actor, ModelVersion version, java.util.Collection<String> uploaders) {
        if (!actor.has(Role.MODEL_APPROVER)) {
            throw ProblemException.forbidden("Only model approvers approve or reject versions.");
        }
        String who = actor.subject();
        if (who.equals(version.submittedBy()) || who.equals(version.createdBy()) || who.equals(version.model().owner())
                || uploaders.contains(who)) {
            throw ProblemException.forbidden("Four eyes: " + who + " submitted, uploaded to or owns "
                    + version.model().name() + " " + version.label() + " and cannot decide on it; another approver must.");
        }
    }

    static void requireCanRetire(Actor actor, ModelVersion version) {
        boolean owner = actor.has(Role.RESEARCHER) && actor.subject().equals(version.model().owner());
        if (!owner && !actor.has(Role.MODEL_APPROVER) && !actor.isAdmin()) {
            throw ProblemException.forbidden("Only the model's owner, an approver or an admin may retire a version.");
        }
    }
}
