package io.modelward.runtime.engine;

/** The request cannot be served as sent: HTTP 400 with this message. */
public class BadInputException extends RuntimeException {

    public BadInputException(String message) {
        super(message);
    }
}
