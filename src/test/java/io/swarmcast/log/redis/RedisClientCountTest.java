package io.swarmcast.log.redis;

import io.swarmcast.support.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client count over instances against a real Redis: the sum of the counts published within the time-to-live, a
 * stale count dropped, a stopped instance's count removed, and the instance's own count whenever Redis cannot answer.
 */
class RedisClientCountTest {

    private static TestRedis redis;
    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate template;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        connections = factory(URI.create(redis.url()).getHost(), URI.create(redis.url()).getPort());
        template = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void stopRedis() {
        connections.destroy();
        redis.close();
    }

    @Test
    void eachInstanceReportsTheSumOfEveryLiveCount() {
        String prefix = TestRedis.newKeyPrefix();
        AtomicInteger ownOfA = new AtomicInteger(2);
        // One server id for both: two instances on one host share a host name, not a count.
        RedisClientCount a = new RedisClientCount(template, prefix, "host", ownOfA::get, () -> true);
        RedisClientCount b = new RedisClientCount(template, prefix, "host", () -> 3, () -> true);

        assertThat(a.connectedClients()).as("only A has published").isEqualTo(2);
        assertThat(b.connectedClients()).isEqualTo(5);
        ownOfA.set(4);
        assertThat(a.connectedClients()).isEqualTo(7);

        // An instance that stopped refreshing its count long ago (killed): not counted, and dropped.
        template.opsForHash().put(a.key(), "killed/x", "100 " + (System.currentTimeMillis() - 60_000));
        assertThat(b.connectedClients()).isEqualTo(7);
        assertThat(template.opsForHash().hasKey(a.key(), "killed/x")).isFalse();

        b.start();
        b.stop();
        assertThat(a.connectedClients()).as("a stopped instance removes its count at once").isEqualTo(4);
        assertThat(template.getExpire(a.key())).as("the hash itself goes once nobody refreshes it").isPositive();
    }

    @Test
    void withoutRedisTheCountIsTheInstancesOwn() throws Exception {
        String prefix = TestRedis.newKeyPrefix();
        AtomicBoolean logReachesRedis = new AtomicBoolean(true);
        new RedisClientCount(template, prefix, "other", () -> 10, () -> true).connectedClients();
        RedisClientCount known = new RedisClientCount(template, prefix, "a", () -> 1, logReachesRedis::get);
        assertThat(known.connectedClients()).isEqualTo(11);

        logReachesRedis.set(false);
        assertThat(known.connectedClients()).as("the log knows Redis is down: not even tried").isEqualTo(1);
        logReachesRedis.set(true);
        assertThat(known.connectedClients()).isEqualTo(11);

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LettuceConnectionFactory nowhere = factory("localhost", closedPort);
        try {
            RedisClientCount failing = new RedisClientCount(new StringRedisTemplate(nowhere), prefix, "b", () -> 4, () -> true);
            assertThat(failing.connectedClients()).as("the script fails: the instance's own").isEqualTo(4);
            assertThat(failing.connectedClients()).isEqualTo(4);
        } finally {
            nowhere.destroy();
        }
    }

    private static LettuceConnectionFactory factory(String host, int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
