package io.swarmcast.log.redis;

import io.swarmcast.support.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A real Redis server for the test class (embedded redis-server, or the one {@code REDIS_URL} names), started before
 * its tests and stopped after them. Tests keep apart by key prefix ({@link TestRedis#newKeyPrefix()}).
 */
abstract class OneRedisServer {

    static TestRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
        redis = null;
    }
}
