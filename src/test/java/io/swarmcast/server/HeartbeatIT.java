package io.swarmcast.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.support.NoClientLeft;
import io.swarmcast.support.Meters;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The heartbeat of docs/protocol.md section 3 with a short interval: the server pings every 500 ms and closes a
 * connection silent for two intervals. A client that stops reading no longer answers pings and is closed;
 * a client that reads, even one that never sends anything itself, answers them (the JDK client pongs
 * automatically) and stays connected for as long as it likes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "swarmcast.heartbeat-interval=500ms")
@ExtendWith(NoClientLeft.class)
class HeartbeatIT {

    /**
     * Short enough to see many intervals pass in a test, long enough that a loaded machine stalling the whole
     * JVM for a moment does not read as a silent client (a pause of two intervals would).
     */
    private static final long INTERVAL_MILLIS = 500;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    MeterRegistry meters;


    @Test
    void welcomeAnnouncesTheInterval() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            assertThat(client.awaitType("welcome").path("heartbeatInterval").asLong()).isEqualTo(INTERVAL_MILLIS);
        }
    }

    @Test
    void clientThatStopsAnsweringPingsIsClosedWhileAReadingClientStays() {
        double timeoutsBefore = Meters.closed(meters, "heartbeat_timeout");
        try (TestClient reading = TestClient.connectWelcomed(port);
             TestClient stalled = TestClient.connectWelcomed(port)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> server.getConnectedClients() == 2);

            stalled.stopReading();

            // Server side: the stalled connection goes, counted as a heartbeat timeout, and only it. Two or
            // three intervals are enough; the bound is far looser for a loaded machine, yet well under what
            // the default interval (30 s) would take.
            await().atMost(Duration.ofSeconds(15)).until(() -> server.getConnectedClients() == 1);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Meters.closed(meters, "heartbeat_timeout") == timeoutsBefore + 1);

            // The reading client outlives many more intervals and is still served.
            await().during(Duration.ofMillis(10 * INTERVAL_MILLIS)).atMost(Duration.ofSeconds(30))
                    .until(() -> reading.isOpen() && server.getConnectedClients() == 1);
            assertThat(Meters.closed(meters, "heartbeat_timeout")).isEqualTo(timeoutsBefore + 1);
            reading.send("{\"type\":\"ping\"}");
            reading.awaitType("pong");

            // The stalled client finds the close when it looks again.
            stalled.resumeReading();
            assertThat(stalled.awaitClose()).isIn(1001, 1006, -1);
        }
    }

    /**
     * Events trickle in, small and far apart, so the stalled client's queue stays tiny and its socket never
     * fills: neither the send bound nor the send-time limit can notice it. Traffic to a client is no sign of
     * life, only traffic from it is, so the heartbeat still closes it; the reader gets every event meanwhile.
     */
    @Test
    void clientThatStopsReadingWhileSmallEventsTrickleIsClosedByTheHeartbeat() throws Exception {
        double timeoutsBefore = Meters.closed(meters, "heartbeat_timeout");
        double slowBefore = Meters.closed(meters, "slow_consumer");
        try (TestClient reading = TestClient.connectWelcomed(port);
             TestClient stalled = TestClient.connectWelcomed(port)) {
            reading.subscribe("agents");
            stalled.subscribe("agents");
            stalled.stopReading();

            List<Long> seqs = new CopyOnWriteArrayList<>();
            AtomicInteger n = new AtomicInteger();
            ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
            try {
                producer.scheduleWithFixedDelay(() -> seqs.add(server.broadcast(new AgentStatusEvent(
                        "trickle-" + n.incrementAndGet(), null, "coder", AgentStatus.BUSY, null, null, null,
                        System.currentTimeMillis()))), 0, 100, TimeUnit.MILLISECONDS);

                await().atMost(Duration.ofSeconds(15)).until(() -> server.getConnectedClients() == 1);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Meters.closed(meters, "heartbeat_timeout") == timeoutsBefore + 1);
                int atClose = seqs.size();
                await().atMost(Duration.ofSeconds(10)).until(() -> seqs.size() >= atClose + 5);
            } finally {
                producer.shutdown();
                assertThat(producer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(Meters.closed(meters, "slow_consumer")).isEqualTo(slowBefore);

            await().atMost(Duration.ofSeconds(10)).until(() -> reading.events().size() >= seqs.size());
            List<Long> received = new ArrayList<>();
            reading.events().forEach(event -> received.add(event.path("seq").asLong()));
            assertThat(received).isEqualTo(seqs);
            assertThat(reading.isOpen()).isTrue();
        }
    }

    /**
     * Any frame from the client is a sign of life, not only a pong: a client that does not read (so answers
     * no ping) but keeps sending its own application pings stays; once it falls silent it is closed.
     */
    @Test
    void anyFrameFromTheClientCountsAsAnAnswer() throws Exception {
        double timeoutsBefore = Meters.closed(meters, "heartbeat_timeout");
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.stopReading();
            ScheduledExecutorService talker = Executors.newSingleThreadScheduledExecutor();
            try {
                talker.scheduleWithFixedDelay(() -> client.send("{\"type\":\"ping\"}"), 0, INTERVAL_MILLIS / 2,
                        TimeUnit.MILLISECONDS);
                await().during(Duration.ofMillis(10 * INTERVAL_MILLIS)).atMost(Duration.ofSeconds(30))
                        .until(() -> server.getConnectedClients() == 1);
                assertThat(Meters.closed(meters, "heartbeat_timeout")).isEqualTo(timeoutsBefore);
            } finally {
                talker.shutdown();
                assertThat(talker.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }

            await().atMost(Duration.ofSeconds(15)).until(() -> server.getConnectedClients() == 0);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Meters.closed(meters, "heartbeat_timeout") == timeoutsBefore + 1);
        }
    }

    @Test
    void idleClientThatOnlyAnswersPingsStaysConnectedForManyIntervals() {
        double timeoutsBefore = Meters.closed(meters, "heartbeat_timeout");
        try (TestClient idle = TestClient.connectWelcomed(port)) {
            await().during(Duration.ofMillis(12 * INTERVAL_MILLIS)).atMost(Duration.ofSeconds(30))
                    .until(() -> idle.isOpen() && !idle.isClosed() && server.getConnectedClients() == 1);
            assertThat(Meters.closed(meters, "heartbeat_timeout")).isEqualTo(timeoutsBefore);
            assertThat(idle.framesOfType("welcome")).hasSize(1);
        }
    }
}
