package io.swarmcast.server;

import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.FrameCodec;

/**
 * One event of a channel's snapshot with its snapshot frame ({@code "snapshot":true}, no seq), encoded on
 * first use and then shared by every client that subscribes until the event is replaced. The projection
 * replaces the whole object when the state it stands for changes, so a frame is never stale: a snapshot
 * costs one encoding per state change, not one per subscriber.
 */
final class SnapshotFrame {

    private final DashboardEvent event;
    private volatile WireFrame frame;

    SnapshotFrame(DashboardEvent event) {
        this.event = event;
    }

    DashboardEvent event() {
        return event;
    }

    WireFrame frame(FrameCodec codec) {
        WireFrame encoded = frame;
        if (encoded == null) {
            encoded = WireFrame.text(codec.write(event, 0, true));
            frame = encoded;
        }
        return encoded;
    }
}
