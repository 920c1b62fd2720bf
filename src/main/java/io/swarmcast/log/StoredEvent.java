package io.swarmcast.log;

import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.FrameCodec;

/**
 * An event as the log holds it: with its sequence number, and its frame once someone needed it.
 * The frame is written at most a few times (racing threads may both write it; the results are equal)
 * and then shared by every client, replay and resume.
 */
public final class StoredEvent {

    private final long seq;
    private final DashboardEvent event;
    private volatile String frame;

    public StoredEvent(long seq, DashboardEvent event) {
        this.seq = seq;
        this.event = event;
    }

    /** An event read back from a shared log whose frame was stored with it. */
    public StoredEvent(long seq, DashboardEvent event, String frame) {
        this(seq, event);
        this.frame = frame;
    }

    /** The log's sequence number; 0 for an ephemeral event that never entered a log. */
    public long seq() {
        return seq;
    }

    public DashboardEvent event() {
        return event;
    }

    public String frame(FrameCodec codec) {
        String written = frame;
        if (written == null) {
            written = codec.write(event, seq, false);
            frame = written;
        }
        return written;
    }

    @Override
    public String toString() {
        return "StoredEvent[" + seq + " " + event.type() + "]";
    }
}
