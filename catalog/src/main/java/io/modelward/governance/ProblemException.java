package io.modelward.governance;

/**
 * A failure the caller can act on. The web layer turns it into an RFC 9457 problem: {@link #status()} is the
 * HTTP status, {@link #type()} a stable slug for the problem type, {@link #getMessage()} the precise detail.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;

    protected ProblemException(int status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail);
    }

    public static ProblemException conflict(String type, String detail) {
        return new ProblemException(409, type, "Conflict", detail);
    }

    public static ProblemException invalid(String type, String detail) {
        return new ProblemException(400, type, "Invalid request", detail);
    }

    public static ProblemException unprocessable(String type, String detail) {
        return new ProblemException(422, type, "Unprocessable content", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "too-large", "Content too large", detail);
    }

    public static ProblemException unsupported(String detail) {
        return new ProblemException(415, "unsupported-type", "Unsupported file type", detail);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }
}
