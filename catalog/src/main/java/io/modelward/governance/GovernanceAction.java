package io.modelward.governance;

/** Every governance action that reaches the audit trail. */
public enum GovernanceAction {
    MODEL_REGISTERED,
    VERSION_REGISTERED,
    ARTIFACT_UPLOADED,
    VERSION_SUBMITTED,
    VERSION_APPROVED,
    VERSION_REJECTED,
    VERSION_RETIRED,
    LICENSE_POLICY_CHANGED,
    DEPLOYMENT_CREATED,
    DEPLOYMENT_SCALED,
    DEPLOYMENT_STARTED,
    DEPLOYMENT_STOPPED,
    DEPLOYMENT_DELETED,
    /** Someone exported part of the audit trail; the detail names the format and the filters. */
    AUDIT_EXPORTED,
    /** Someone checked the audit trail's hash chains; the detail says what the check found. */
    AUDIT_VERIFIED
}
