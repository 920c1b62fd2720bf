package io.swarmcast.ingest;

import lombok.Getter;
import org.springframework.http.HttpStatus;

/**
 * An ingest request refused as a whole: nothing of it was accepted. Becomes
 * {@code {"error":...,"index":...,"field":...}} with the status it names.
 */
@Getter
class IngestException extends RuntimeException {

    private final HttpStatus status;
    /** Position of the offending event in a batch (0 for a single event), or null when no one event is at fault. */
    private final Integer index;
    private final String field;

    IngestException(HttpStatus status, String message, Integer index, String field) {
        super(message);
        this.status = status;
        this.index = index;
        this.field = field;
    }

    static IngestException badRequest(String message) {
        return new IngestException(HttpStatus.BAD_REQUEST, message, null, null);
    }

    static IngestException badField(String field, String message) {
        return new IngestException(HttpStatus.BAD_REQUEST, message, null, field);
    }

    static IngestException tooLarge(String message) {
        return new IngestException(HttpStatus.CONTENT_TOO_LARGE, message, null, null);
    }
}
