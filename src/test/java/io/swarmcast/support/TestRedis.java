package io.swarmcast.support;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A real Redis for the shared-log tests: the {@code redis-server} that embedded-redis bundles, started on a free
 * port with its data in a temporary directory, or the Redis that {@code REDIS_URL} names when that variable is set
 * (a CI pass against the distribution's server). Only the embedded one can be stopped and started again, so the
 * outage tests assume {@link #controllable()}. Each test takes its own key prefix ({@link #newKeyPrefix()}) so that
 * tests sharing one Redis never see each other's log.
 */
public final class TestRedis implements AutoCloseable {

    private final String url;
    private final RedisServer server;
    private final Path dataDir;

    private TestRedis(String url, RedisServer server, Path dataDir) {
        this.url = url;
        this.server = server;
        this.dataDir = dataDir;
    }

    public static TestRedis start() {
        String external = System.getenv("REDIS_URL");
        if (external != null && !external.isBlank()) {
            return new TestRedis(external, null, null);
        }
        try {
            int port = FreePorts.one();
            Path dataDir = Files.createTempDirectory("swarmcast-redis-");
            RedisServer server = RedisServer.newRedisServer()
                    .port(port)
                    .setting("dir " + dataDir.toAbsolutePath())
                    // Saved on shutdown (SIGTERM), so a stop and start keeps the data unless wipeData() ran between.
                    .setting("save 3600 1")
                    .setting("appendonly no")
                    .build();
            server.start();
            return new TestRedis("redis://localhost:" + port, server, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return url;
    }

    /** Whether this Redis can be stopped and started by the test (the embedded one). */
    public boolean controllable() {
        return server != null;
    }

    /** A key prefix no other test uses. */
    public static String newKeyPrefix() {
        return "it-" + UUID.randomUUID();
    }

    /** Stops the server the way an operator does (SIGTERM): it saves its data first. */
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same port; it loads what it saved unless {@link #wipeData()} ran. */
    public void startAgain() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the saved data of a stopped server: the next start is a Redis that lost everything. */
    public void wipeData() {
        try {
            Files.deleteIfExists(dataDir.resolve("dump.rdb"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (server != null && server.isActive()) {
            stop();
        }
    }
}
