package io.modelward.runtime.engine;

/** The model failed on a well-formed request: HTTP 500. */
public class InferenceException extends RuntimeException {

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
