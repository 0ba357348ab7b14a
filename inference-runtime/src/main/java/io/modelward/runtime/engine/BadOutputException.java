package io.modelward.runtime.engine;

/** The model answered something it may not (NaN or infinity for finite input): HTTP 502 with this message. */
public class BadOutputException extends RuntimeException {

    public BadOutputException(String message) {
        super(message);
    }
}
