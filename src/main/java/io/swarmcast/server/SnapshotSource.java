package io.swarmcast.server;

import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;

import java.util.List;

/**
 * Supplies a channel's current state as events, sent with {@code "snapshot":true} when a client subscribes
 * (PROTOCOL.md section 4). Called on the fan-out's ordered path, so it must answer from memory, quickly.
 */
interface SnapshotSource {

    List<DashboardEvent> snapshot(Channel channel);
}
