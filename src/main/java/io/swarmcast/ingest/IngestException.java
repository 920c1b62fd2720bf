package io.swarmcast.ingest;

import io.swarmcast.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * An ingest request refused as a whole: nothing of it was accepted. Answered in the shared error body
 * {@code {"error":...,"code":...,"index":...,"field":...}} with the status it names.
 */
class IngestException extends ApiException {

    IngestException(HttpStatus status, String message, Integer index, String field) {
        super(status, null, message, field, index, null);
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
