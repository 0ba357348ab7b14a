package io.modelward.runtime;

/** The runtime cannot start: bad configuration, a missing or altered model, an unsafe archive. */
public class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
