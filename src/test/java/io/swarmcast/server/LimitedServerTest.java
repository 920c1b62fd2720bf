package io.swarmcast.server;

import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One server with small limits, shared (one cached Spring context) by the tests of maxConnections, the
 * inbound rate limit, slow consumers and conflation (which starts at 8 KB waiting, for a client that asked for
 * it). The heartbeat is long so that it never closes a client these tests expect to be closed for another
 * reason. Tests using it must leave no client connected.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "swarmcast.max-connections=3",
        "swarmcast.heartbeat-interval=120s",
        "swarmcast.limits.rate-limit=5",
        "swarmcast.limits.rate-burst=10",
        "swarmcast.limits.rate-limit-close-after=10",
        "swarmcast.limits.send-buffer-limit=64KB",
        "swarmcast.limits.send-time-limit=2s",
        "swarmcast.conflation.threshold=8KB"})
@interface LimitedServerTest {

    int MAX_CONNECTIONS = 3;
    int RATE_LIMIT = 5;
    int RATE_BURST = 10;
    int RATE_LIMIT_CLOSE_AFTER = 10;
    long SEND_BUFFER_LIMIT = 64 * 1024;
    long CONFLATION_THRESHOLD = 8 * 1024;
}
