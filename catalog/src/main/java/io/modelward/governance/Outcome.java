package io.modelward.governance;

/** How a request or action ended, as the audit trail records it. */
public enum Outcome {
    /** Answered (2xx), or the governance action was done. */
    OK,
    /** The caller's input was wrong (4xx other than 401/403). */
    CLIENT_ERROR,
    /** Something on our side failed (5xx other than 503). */
    SERVER_ERROR,
    /** Not authenticated or not allowed (401, 403). */
    DENIED,
    /** Overloaded, stopped, or not ready (503). */
    UNAVAILABLE;

    public static Outcome ofStatus(int status) {
        if (status == 401 || status == 403) {
            return DENIED;
        }
        if (status == 503 || status == 429) {
            return UNAVAILABLE;
        }
        if (status >= 500) {
            return SERVER_ERROR;
        }
        return status >= 400 ? CLIENT_ERROR : OK;
    }
}
