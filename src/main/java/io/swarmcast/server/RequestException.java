package io.swarmcast.server;

/** A request frame the server cannot act on; becomes an error frame, and the connection stays open. */
final class RequestException extends RuntimeException {

    private final ErrorCode code;
    private final String field;

    RequestException(ErrorCode code, String field, String message) {
        super(message);
        this.code = code;
        this.field = field;
    }

    ErrorCode code() {
        return code;
    }

    String field() {
        return field;
    }
}
