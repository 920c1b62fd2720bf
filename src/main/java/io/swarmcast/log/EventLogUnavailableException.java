package io.swarmcast.log;

/**
 * The event log cannot take the append now (a shared log's store is unreachable or too slow): nothing the
 * caller asked for may be acknowledged. HTTP answers it with 503 {@code log_unavailable}; the events may or may
 * not have reached the store (a timed-out write can still land), so a producer that retries may duplicate, never lose.
 */
public class EventLogUnavailableException extends RuntimeException {

    public EventLogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
