package io.swarmcast.timeline;

import io.swarmcast.web.ApiException;
import lombok.Getter;
import org.springframework.http.HttpStatus;

/**
 * A point of the timeline that cannot be answered: older than the retained history (410 {@code history_trimmed},
 * with the oldest point that can be), or beyond the log's newest seq (400 {@code beyond_head}).
 */
@Getter
public final class PointUnavailableException extends ApiException {

    public static final String HISTORY_TRIMMED = "history_trimmed";
    public static final String BEYOND_HEAD = "beyond_head";

    /** The oldest seq that can be answered now (the newest seq when none can). */
    private final long oldestSeq;
    /** The oldest time that can be answered now, or null when none can. */
    private final Long oldestTime;

    private PointUnavailableException(HttpStatus status, String code, String message, String field, long oldestSeq,
                                      Long oldestTime) {
        super(status, code, message, field, null, null);
        this.oldestSeq = oldestSeq;
        this.oldestTime = oldestTime;
    }

    static PointUnavailableException trimmed(Long seq, long oldestSeq, Long oldestTime) {
        String what = seq != null ? "seq " + seq : "that time";
        return new PointUnavailableException(HttpStatus.GONE, HISTORY_TRIMMED, "the history no longer reaches back to "
                + what + "; the oldest point available is seq " + oldestSeq, seq != null ? "atSeq" : "at", oldestSeq,
                oldestTime);
    }

    static PointUnavailableException beyondHead(long seq, long newestSeq) {
        return new PointUnavailableException(HttpStatus.BAD_REQUEST, BEYOND_HEAD, "seq " + seq
                + " is beyond the newest seq of the log, " + newestSeq, "atSeq", newestSeq, null);
    }
}
