package io.swarmcast.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MessageType;
import io.swarmcast.support.NoClientLeft;
import io.swarmcast.support.Meters;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.swarmcast.server.LimitedServerTest.SEND_BUFFER_LIMIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slow consumers (docs/protocol.md section 6) on a server with a 64 KB send bound and a 2 s send-time limit
 * ({@link LimitedServerTest}): a client that stops reading is closed as a slow consumer, and a client that
 * reads on the same server gets every event, in order, before, during and after.
 *
 * <p>Events are published in-process so that the test controls the pace exactly: never faster than the
 * reading client takes them (so it can never be the slow one, however loaded the machine), and in the
 * trickle case never while anything is still queued for anyone.
 */
@LimitedServerTest
@ExtendWith(NoClientLeft.class)
class SlowConsumerIT {

    /** Enough for any TCP buffering between the server and a client that does not read, many times over. */
    private static final int MAX_EVENTS = 20_000;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    MeterRegistry meters;

    private int nextMessage;


    /**
     * Events flow steadily; the client that stops reading backs up until its queue passes the bound and it is
     * closed, while the reading client misses nothing. The closed client then resumes with sinceSeq and gets
     * exactly what it missed.
     */
    @Test
    void clientThatStopsReadingWhileEventsFlowIsClosedAndTheReaderGetsEveryEvent() {
        double slowBefore = Meters.closed(meters, "slow_consumer");
        try (TestClient reader = TestClient.connectWelcomed(port);
             TestClient stalled = TestClient.connectWelcomed(port)) {
            reader.subscribe("messages");
            stalled.subscribe("messages");
            stalled.stopReading();

            List<Long> seqs = new ArrayList<>();
            while (Meters.closed(meters, "slow_consumer") == slowBefore && seqs.size() < MAX_EVENTS) {
                // Two events at a time, then wait for the reader: its own queue never nears the bound.
                seqs.add(server.broadcast(message(3000)));
                seqs.add(server.broadcast(message(3000)));
                awaitEvents(reader, seqs.size());
            }
            assertThat(Meters.closed(meters, "slow_consumer")).isEqualTo(slowBefore + 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> server.getConnectedClients() == 1);
            assertFrameWellUnderTheBound(reader);

            // The reader goes on receiving after the slow client has gone.
            for (int i = 0; i < 10; i++) {
                seqs.add(server.broadcast(message(3000)));
                seqs.add(server.broadcast(message(3000)));
                awaitEvents(reader, seqs.size());
            }
            assertThat(seqsOf(reader)).as("every event, in order, exactly once").isEqualTo(seqs);
            assertThat(reader.isOpen()).isTrue();

            // What the slow client did get before it was cut off is a gapless prefix it can resume from.
            stalled.resumeReading();
            int code = stalled.awaitClose();
            assertThat(code).as("1013 when the close frame gets through, else an abnormal close").isIn(1013, 1006, -1);
            if (code == 1013) {
                assertThat(stalled.closeReason()).isEqualTo("slow consumer");
            }
            List<Long> received = seqsOf(stalled);
            assertThat(received).hasSizeLessThan(seqs.size()).isEqualTo(seqs.subList(0, received.size()));

            // And it can come back for the rest: resume after the last seq it saw, in the epoch it knew.
            String epoch = stalled.awaitType("welcome").path("epoch").asString();
            long lastSeen = received.isEmpty() ? 0 : received.get(received.size() - 1);
            try (TestClient resumed = TestClient.connectWelcomed(port)) {
                resumed.sendJson(Map.of("type", "subscribe", "channel", "messages", "sinceSeq", lastSeen,
                        "epoch", epoch, "snapshot", false));
                assertThat(resumed.awaitType("subscribed").path("recovered").asBoolean()).isTrue();
                List<Long> missed = seqs.subList(received.size(), seqs.size());
                awaitEvents(resumed, missed.size());
                assertThat(seqsOf(resumed)).isEqualTo(missed);
            }
        }
    }

    /**
     * The case where events arrive too slowly to ever fill the queue: one event at a time, the next only
     * once everything queued for every client has been written. The stalled client's queue therefore never
     * holds more than one frame, far below the bound, and once its socket is full no further event comes at
     * all, so nothing on the send path can notice it. It must still be closed as a slow consumer, by the
     * send-time limit (the heartbeat is two minutes here, so it cannot be the heartbeat).
     */
    @Test
    void clientThatStopsReadingWhileEventsTrickleIsStillClosedBySendTimeLimit() {
        double slowBefore = Meters.closed(meters, "slow_consumer");
        double heartbeatBefore = Meters.closed(meters, "heartbeat_timeout");
        try (TestClient reader = TestClient.connectWelcomed(port);
             TestClient stalled = TestClient.connectWelcomed(port)) {
            reader.subscribe("messages");
            stalled.subscribe("messages");
            stalled.stopReading();

            List<Long> seqs = new ArrayList<>();
            while (server.getConnectedClients() == 2 && seqs.size() < MAX_EVENTS) {
                seqs.add(server.broadcast(message(3000)));
                int published = seqs.size();
                // Blocks for as long as the stalled client's send is stuck, and ends when it is closed.
                await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(2))
                        .until(() -> server.connections().allIdle() && reader.events().size() >= published);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Meters.closed(meters, "slow_consumer") == slowBefore + 1);
            assertThat(Meters.closed(meters, "heartbeat_timeout")).isEqualTo(heartbeatBefore);
            assertThat(server.getConnectedClients()).isEqualTo(1);
            assertFrameWellUnderTheBound(reader);

            seqs.add(server.broadcast(message(3000)));
            awaitEvents(reader, seqs.size());
            assertThat(seqsOf(reader)).isEqualTo(seqs);
            assertThat(reader.isOpen()).isTrue();

            stalled.resumeReading();
            assertThat(stalled.awaitClose()).isIn(1013, 1006, -1);
            List<Long> received = seqsOf(stalled);
            assertThat(received).isEqualTo(seqs.subList(0, received.size()));
        }
    }

    /** One frame weighs (two bytes a char, as the queue counts) well under half the bound: one frame alone cannot trip it. */
    private static void assertFrameWellUnderTheBound(TestClient reader) {
        JsonNode frame = reader.events().get(0);
        assertThat(2L * frame.toString().length()).isLessThan(SEND_BUFFER_LIMIT / 2);
    }

    private static void awaitEvents(TestClient client, int count) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .until(() -> client.events().size() >= count);
    }

    private static List<Long> seqsOf(TestClient client) {
        List<Long> seqs = new ArrayList<>();
        client.events().forEach(event -> seqs.add(event.path("seq").asLong()));
        return seqs;
    }

    private MessageSentEvent message(int payloadChars) {
        int n = ++nextMessage;
        String payload = ("msg-" + n + "-").repeat(payloadChars / 6 + 1).substring(0, payloadChars);
        return new MessageSentEvent("slow-" + n, "agent-a", "agent-b", MessageType.BROADCAST,
                TestClient.JSON.valueToTree(payload), payloadChars, System.currentTimeMillis());
    }
}
