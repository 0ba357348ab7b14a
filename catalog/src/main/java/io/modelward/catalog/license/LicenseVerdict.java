package io.modelward.catalog.license;

/** What the license policy says about running a model under a license on the hospital's premises. */
public enum LicenseVerdict {
    /** May be approved. */
    ALLOWED,
    /** May be approved only with a written justification from the approver. */
    REVIEW,
    /** Can never be approved. */
    DENIED
}
