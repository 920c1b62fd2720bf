package io.swarmcast.log.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tail's own connection. A blocking read holds its connection for as long as it waits, so it must never be the
 * connection the application's other commands share: this one is opened from the same Lettuce client (same
 * address, credentials, TLS and options as {@code spring.data.redis.*} configured) and used by the tail alone.
 */
final class TailConnection implements AutoCloseable {

    private final StatefulConnection<String, String> connection;
    private final AtomicBoolean closed = new AtomicBoolean();
    final RedisStreamCommands<String, String> streams;
    final RedisScriptingCommands<String, String> scripts;

    private TailConnection(StatefulConnection<String, String> connection, RedisStreamCommands<String, String> streams,
                           RedisScriptingCommands<String, String> scripts) {
        this.connection = connection;
        this.streams = streams;
        this.scripts = scripts;
    }

    /** Opens a new connection; {@code timeout} must exceed the blocking read's wait. */
    static TailConnection open(AbstractRedisClient client, Duration timeout) {
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<String, String> connection = cluster.connect(StringCodec.UTF8);
            connection.setTimeout(timeout);
            return new TailConnection(connection, connection.sync(), connection.sync());
        }
        StatefulRedisConnection<String, String> connection = ((RedisClient) client).connect(StringCodec.UTF8);
        connection.setTimeout(timeout);
        return new TailConnection(connection, connection.sync(), connection.sync());
    }

    @Override
    public void close() {
        // Closed by the tail when a read fails and by stop() to end a blocked read; Lettuce warns at a second close.
        if (closed.compareAndSet(false, true)) {
            connection.closeAsync();
        }
    }
}
