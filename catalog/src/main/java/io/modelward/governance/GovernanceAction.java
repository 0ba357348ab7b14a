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
    AUDIT_VERIFIED,
    /** Someone read the audit trail; recorded when refused (reading is the auditors' daily work, not an event). */
    AUDIT_READ,
    /** A request refused before it reached any action above (a page or endpoint the roles do not open). */
    ACCESS,
    /** A person logged in (form or single sign-on; not each HTTP Basic call of a program). */
    LOGIN,
    /** A login failed: wrong user name or password, locked account, or single sign-on that did not complete. */
    LOGIN_FAILED,
    /** A person logged out. */
    LOGOUT,
    /** A local account was locked after repeated failed logins. */
    LOCKOUT
}
