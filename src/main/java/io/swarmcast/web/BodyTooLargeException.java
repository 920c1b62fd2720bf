package io.swarmcast.web;

import java.io.IOException;

/**
 * A request body that went past its limit while being read (a chunked body, or one that lied in its
 * Content-Length). An {@link IOException}, because it is thrown from the body's input stream, where readers
 * (Jackson, {@code readAllBytes}) expect one; {@link ApiErrorHandler} answers it with 413 {@code too_large},
 * also when a message converter wrapped it.
 */
public class BodyTooLargeException extends IOException {

    public BodyTooLargeException(String message) {
        super(message, null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // A client's doing, answered with 413: a stack trace would only cost time.
        return this;
    }
}
