package io.swarmcast.server;

import io.swarmcast.event.Channel;

import java.util.List;

/**
 * Supplies a channel's current state as events, sent with {@code "snapshot":true} when a client subscribes
 * (docs/protocol.md section 4). Called on the fan-out's ordered path, so it must answer from memory, quickly;
 * each entry keeps its encoded frame, so a thousand subscribers share one encoding.
 */
interface SnapshotSource {

    /** The channel's snapshot, in the order it is sent; the list must not be changed by the caller. */
    List<SnapshotFrame> snapshot(Channel channel);
}
