package io.modelward.runtime.engine;

/** The queue is full or the runtime is shutting down: HTTP 503 at once, never a hang. */
public class OverloadedException extends RuntimeException {

    public OverloadedException(String message) {
        super(message);
    }
}
