package io.swarmcast.log.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connection every append of this instance goes through, and nothing else. Redis runs the commands of one
 * connection in the order they were sent, so appends sent one after the other under the domain lock get their seqs
 * in that order, even though their answers are awaited after the lock is released: the order of the log is the
 * order of the changes made to this instance's state. Opened from Spring Boot's Lettuce client (same address,
 * credentials, TLS and options as {@code spring.data.redis.*}), like the tail's.
 */
final class AppendConnection implements AutoCloseable {

    private final StatefulConnection<String, String> connection;
    private final RedisScriptingAsyncCommands<String, String> scripts;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AppendConnection(StatefulConnection<String, String> connection,
                             RedisScriptingAsyncCommands<String, String> scripts) {
        this.connection = connection;
        this.scripts = scripts;
    }

    static AppendConnection open(AbstractRedisClient client) {
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<String, String> connection = cluster.connect(StringCodec.UTF8);
            return new AppendConnection(connection, connection.async());
        }
        StatefulRedisConnection<String, String> connection = ((RedisClient) client).connect(StringCodec.UTF8);
        return new AppendConnection(connection, connection.async());
    }

    /**
     * Sends the script with its text ({@code EVAL}, not {@code EVALSHA}): a script missing from Redis's cache (Redis
     * restarted) would fail with NOSCRIPT, and sending it again would put it behind appends sent after it. Redis
     * still compiles it only once, keyed by its SHA.
     */
    RedisFuture<String> eval(String script, String[] keys, String... args) {
        return scripts.eval(script, ScriptOutputType.VALUE, keys, args);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            connection.closeAsync();
        }
    }
}
