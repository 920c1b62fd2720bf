package io.swarmcast.web;

import lombok.Getter;
import org.springframework.http.HttpStatus;

/**
 * A request refused as a whole, nothing of it taken: {@link ApiErrorHandler} answers it with its status and
 * the {@link ApiError} body. Feature packages throw it (or a subclass) from controllers and the code they call.
 */
@Getter
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    /** The offending field, or null when no one field is at fault. */
    private final String field;
    /** Position of the offending event in a batch, or null when no one event is at fault. */
    private final Integer index;
    /** Seconds a client should wait before trying again (a Retry-After header), or null. */
    private final Integer retryAfterSeconds;

    public ApiException(HttpStatus status, String code, String message, String field, Integer index,
                        Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code != null ? code : ApiError.defaultCode(status, field);
        this.field = field;
        this.index = index;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ApiException(HttpStatus status, String message, String field) {
        this(status, null, message, field, null, null);
    }
}
