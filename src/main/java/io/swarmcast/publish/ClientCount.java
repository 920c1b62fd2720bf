package io.swarmcast.publish;

/**
 * The {@code connectedClients} that {@code metrics:update} reports: the WebSocket clients of every instance that
 * shares this one's event log. One bean, picked by {@code swarmcast.log.type}: with the in-memory log it is this
 * instance's own count ({@link LocalClientCount}); with the Redis log each instance publishes its count to Redis on
 * every metrics tick and reports the sum of the live ones ({@code io.swarmcast.log.redis.RedisClientCount}).
 *
 * <p>Only the metrics ticker calls it, once a tick, on its own thread. The health details and the
 * {@code swarmcast.clients.connected} gauge stay this instance's own.
 */
public interface ClientCount {

    /** The clients connected over every instance, as of now; never fails (falls back to this instance's own). */
    int connectedClients();
}
