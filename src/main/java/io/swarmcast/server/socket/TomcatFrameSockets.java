package io.swarmcast.server.socket;

import io.swarmcast.server.FrameSocket;
import io.swarmcast.server.FrameSocketFactory;
import jakarta.websocket.Session;

import java.util.concurrent.Executor;

/** The direct path's factory: {@link TomcatFrameSocket}s, through internals checked when it was built. */
final class TomcatFrameSockets implements FrameSocketFactory {

    static final String NAME = "direct";

    private final TomcatInternals internals;
    private final long timeoutMillis;

    TomcatFrameSockets(TomcatInternals internals, long timeoutMillis) {
        this.internals = internals;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public FrameSocket open(Session session, Executor blockingWrites) {
        return internals.socketOf(session, timeoutMillis, blockingWrites);
    }

    @Override
    public String name() {
        return NAME;
    }
}
