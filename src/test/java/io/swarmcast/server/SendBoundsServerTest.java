package io.swarmcast.server;

import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One server, shared by the tests of the send bounds on every path (replay floods, large catch-ups, many
 * clients that do not read): small per-client and global bounds so that they are reached quickly, a rate
 * limit high enough that a flood of requests is real, a replay limit below the history so a resume can
 * ask for more than it, and room for a thousand connections. Tests using it must leave no client connected.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "swarmcast.max-connections=1200",
        // A thousand clients from one test process, all from 127.0.0.1.
        "swarmcast.connections.max-per-address=1200",
        "swarmcast.connections.attempts-per-second-per-address=100000",
        "swarmcast.connections.attempt-burst-per-address=100000",
        "swarmcast.heartbeat-interval=120s",
        "swarmcast.metrics-enabled=false",
        "swarmcast.history-size=20000",
        "swarmcast.limits.replay-max-limit=" + SendBoundsServerTest.REPLAY_MAX_LIMIT,
        "swarmcast.limits.rate-limit=2000",
        "swarmcast.limits.rate-burst=2000",
        "swarmcast.limits.rate-limit-close-after=100000",
        "swarmcast.limits.send-buffer-limit=256KB",
        "swarmcast.limits.reply-buffer-limit=" + SendBoundsServerTest.REPLY_BUFFER_LIMIT + "B",
        "swarmcast.limits.total-send-buffer-limit=" + SendBoundsServerTest.TOTAL_SEND_BUFFER_LIMIT + "B",
        "swarmcast.limits.send-time-limit=5s"})
@interface SendBoundsServerTest {

    int REPLAY_MAX_LIMIT = 5000;
    long REPLY_BUFFER_LIMIT = 1024 * 1024;
    long TOTAL_SEND_BUFFER_LIMIT = 32L * 1024 * 1024;
}
