package io.swarmcast.timeline;

import io.swarmcast.log.EventLog;
import io.swarmcast.web.ApiException;
import org.springframework.http.HttpStatus;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/state?atSeq=N} and {@code ?at=T}: reads the parameters (400 {@code invalid_field} naming the one
 * at fault) and answers the state at that point in the shape of {@code GET /api/state}, plus {@code memory},
 * {@code atSeq}, {@code atTime} and {@code newestSeq}.
 */
public final class TimelineQuery {

    /** The end of year 9999, as ingest's timestamps. */
    private static final long MAX_TIME = 253_402_300_799_999L;

    private final Timeline timeline;
    private final EventLog eventLog;

    public TimelineQuery(Timeline timeline, EventLog eventLog) {
        this.timeline = timeline;
        this.eventLog = eventLog;
    }

    /** Whether the request asks for a point rather than the live state. */
    public static boolean asksForPoint(String atSeq, String at) {
        return atSeq != null || at != null;
    }

    public Map<String, Object> answer(String atSeq, String at, String serverId) {
        if (atSeq != null && at != null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "give atSeq or at, not both", "at");
        }
        PointState point = atSeq != null ? timeline.stateAt(parseSeq(atSeq)) : timeline.stateAtTime(parseTime(at));
        Map<String, Object> state = view(point, timeline.retentionMillis());
        state.put("seq", point.seq());
        state.put("epoch", eventLog.epoch());
        state.put("serverId", serverId);
        state.put("newestSeq", eventLog.newestSeq());
        return state;
    }

    /** The point's state in the shape of {@code GET /api/state}: agents, tasks, topology, metrics, memory, atSeq, atTime. */
    public static Map<String, Object> view(PointState point, long retentionMillis) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("agents", point.agents());
        state.put("tasks", point.activeTasks(retentionMillis));
        state.put("topology", point.topology());
        state.put("metrics", point.seq() == 0 ? null : point.metrics());
        state.put("memory", point.memoryEntries());
        state.put("atSeq", point.seq());
        state.put("atTime", point.maxTimestamp());
        return state;
    }

    static long parseSeq(String text) {
        try {
            long seq = Long.parseLong(text.trim());
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(HttpStatus.BAD_REQUEST, "atSeq must be a whole number from 0 to " + Long.MAX_VALUE, "atSeq");
    }

    /** Milliseconds since the epoch, or ISO-8601 text with an offset ({@code 2026-01-02T03:04:05Z}). */
    static long parseTime(String text) {
        String value = text.trim();
        try {
            if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                long millis = Long.parseLong(value);
                if (millis <= MAX_TIME) {
                    return millis;
                }
            } else if (!value.isEmpty()) {
                Instant instant = value.endsWith("Z") || value.endsWith("z") ? Instant.parse(value)
                        : OffsetDateTime.parse(value).toInstant();
                long millis = instant.toEpochMilli();
                if (millis >= 0 && millis <= MAX_TIME) {
                    return millis;
                }
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            // answered below
        }
        throw new ApiException(HttpStatus.BAD_REQUEST, "at must be milliseconds since the epoch (0 to " + MAX_TIME
                + ") or ISO-8601 with an offset, e.g. 2026-01-02T03:04:05Z", "at");
    }
}
