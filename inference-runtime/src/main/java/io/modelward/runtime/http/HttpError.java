package io.modelward.runtime.http;

/** A failure answered with {@code {"error": message}} and this status. */
final class HttpError extends RuntimeException {

    final int status;

    HttpError(int status, String message) {
        super(message);
        this.status = status;
    }
}
