package io.modelward.portal.web;

import io.modelward.catalog.ModelDetails;
import io.modelward.catalog.VersionDetails;
import io.modelward.catalog.VersionState;
import io.modelward.governance.Actor;
import io.modelward.governance.Role;

/**
 * What the current user may do, for showing or hiding buttons. It mirrors the catalog's rules; the server checks
 * them again on every action, so a hidden button is a courtesy, never the protection.
 */
public record Can(Actor actor) {

    public boolean registerModels() {
        return actor.has(Role.RESEARCHER);
    }

    public boolean edit(ModelDetails model) {
        return isOwner(model.owner()) || actor.isAdmin();
    }

    public boolean editVersion(VersionDetails v) {
        return (isOwner(v.modelOwner()) || actor.isAdmin()) && v.state() == VersionState.DRAFT;
    }

    public boolean decide(VersionDetails v) {
        String me = actor.subject();
        return actor.has(Role.MODEL_APPROVER) && v.state() == VersionState.SUBMITTED && !me.equals(v.submittedBy())
                && !me.equals(v.createdBy()) && !me.equals(v.modelOwner());
    }

    /** An approver looking at their own submission: shown why they cannot decide. */
    public boolean blockedByFourEyes(VersionDetails v) {
        return actor.has(Role.MODEL_APPROVER) && v.state() == VersionState.SUBMITTED && !decide(v);
    }

    public boolean retire(VersionDetails v) {
        boolean allowed = isOwner(v.modelOwner()) || actor.has(Role.MODEL_APPROVER) || actor.isAdmin();
        return allowed && v.state().canMoveTo(VersionState.RETIRED);
    }

    public boolean deploy(VersionDetails v) {
        return (actor.has(Role.RESEARCHER) || actor.isAdmin()) && v.state() == VersionState.APPROVED;
    }

    public boolean editLicenses() {
        return actor.isAdmin();
    }

    private boolean isOwner(String owner) {
        return actor.has(Role.RESEARCHER) && actor.subject().equals(owner);
    }
}
