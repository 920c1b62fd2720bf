package io.swarmcast.log;

import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.FrameCodec;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * An event as the log holds it: with its sequence number, and its frame once someone needed it.
 * The frame is written at most a few times (racing threads may both write it; the results are equal)
 * and then shared by every client, replay and resume. It is kept as UTF-8 bytes, the form every socket
 * write needs, so a resume's catch-up to many clients encodes nothing again.
 */
public final class StoredEvent {

    private final long seq;
    private final DashboardEvent event;
    private volatile byte[] frameUtf8;
    private volatile Object wireForm;

    public StoredEvent(long seq, DashboardEvent event) {
        this.seq = seq;
        this.event = event;
    }

    /** The log's sequence number; 0 for an ephemeral event that never entered a log. */
    public long seq() {
        return seq;
    }

    public DashboardEvent event() {
        return event;
    }

    /** The frame's JSON, UTF-8 encoded. Shared: callers must not change the array. */
    public byte[] frameUtf8(FrameCodec codec) {
        byte[] written = frameUtf8;
        if (written == null) {
            written = codec.write(event, seq, false).getBytes(StandardCharsets.UTF_8);
            frameUtf8 = written;
        }
        return written;
    }

    /**
     * The frame in the delivery layer's own wire form (the server's WebSocket frame, header included), made
     * from {@link #frameUtf8} by the first reader that needs it and then shared: live delivery and every
     * resume's catch-up write the same bytes, so a catch-up to many clients neither encodes nor copies.
     * Every caller must pass the same kind of {@code toWire}.
     */
    @SuppressWarnings("unchecked")
    public <T> T wireForm(FrameCodec codec, Function<byte[], T> toWire) {
        Object made = wireForm;
        if (made == null) {
            made = toWire.apply(frameUtf8(codec));
            wireForm = made;
        }
        return (T) made;
    }

    /** The frame's JSON as text, for embedding in another frame (a replay answer). */
    public String frame(FrameCodec codec) {
        return new String(frameUtf8(codec), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "StoredEvent[" + seq + " " + event.type() + "]";
    }
}
