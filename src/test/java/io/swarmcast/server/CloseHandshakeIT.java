package io.swarmcast.server;

import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.EventParser;
import io.swarmcast.support.RawWebSocket;
import io.swarmcast.support.RawWebSocket.Frame;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static io.swarmcast.support.ProtocolFixtures.message;
import static io.swarmcast.support.ProtocolFixtures.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RFC 6455 section 5.5.1: after sending a close frame an endpoint sends no more data. Frames are written
 * below the WebSocket API on the fast path, so Tomcat's close frame and Swarmcast's event frames share the
 * socket; these tests read the raw stream while events flow as fast as the server delivers them and check
 * that nothing but the closing handshake follows the server's close frame, whichever side closes first.
 * A race, so each case runs many rounds; before the fix the client-initiated case failed within a few.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "swarmcast.limits.send-buffer-limit=64MB")
class CloseHandshakeIT {

    private static final int ROUNDS = 20;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    EventParser parser;

    private final AtomicBoolean publishing = new AtomicBoolean(true);
    private final List<Long> published = new CopyOnWriteArrayList<>();
    private Thread publisher;
    private TestClient witness;

    /** Events flow throughout, and a well-behaved client checks it gets every one of them, in order. */
    @BeforeEach
    void startPublishing() {
        witness = TestClient.connectWelcomed(port);
        witness.subscribe("messages");
        publisher = new Thread(() -> {
            int n = 0;
            while (publishing.get()) {
                List<DashboardEvent> batch = new ArrayList<>(10);
                for (int i = 0; i < 10; i++, n++) {
                    batch.add(parser.parse(message("close-" + n, "x".repeat(3_000 + n % 1_000))));
                }
                published.addAll(server.broadcastAll(batch));
                // Up to 2,000 events/s of 3 to 4 KB: a client that stops reading backs up within a fraction of a
                // second, and the witness can still check every event on a busy machine.
                LockSupport.parkNanos(5_000_000);
            }
        }, "close-handshake-publisher");
        publisher.start();
    }

    @AfterEach
    void stopPublishing() throws InterruptedException {
        publishing.set(false);
        publisher.join(10_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> witness.events().size() >= published.size());
        assertThat(seqs(witness.events())).as("the well-behaved client got every event once, in order")
                .containsExactlyElementsOf(published);
        assertThat(witness.isOpen()).isTrue();
        witness.close();
    }

    @Test
    void noDataFrameFollowsTheServersAnswerToTheClientsClose() throws IOException {
        for (int round = 0; round < ROUNDS; round++) {
            try (RawWebSocket client = subscribedRawClient()) {
                awaitEvents(client, 20 + round % 7 * 10);
                if (round % 2 == 1) {
                    // Stop reading a while, so frames back up behind a full socket and Tomcat's answer to the close
                    // has to wait for them: the writes then meet head on when reading resumes.
                    pause(Duration.ofMillis(600));
                }
                client.sendClose(1000);

                List<Frame> afterClose = framesAfterServerClose(client, round);

                assertThat(afterClose).as("round %d: frames after the server's close frame", round).isEmpty();
            }
        }
    }

    @Test
    void noDataFrameFollowsTheServersOwnClose() throws IOException {
        int closesSeen = 0;
        for (int round = 0; round < ROUNDS; round++) {
            try (RawWebSocket client = subscribedRawClient()) {
                awaitEvents(client, 10 + round % 7 * 10);
                // Far past the rate limit (burst 100, closed after 100 refusals): each refusal is answered with an
                // error frame, so replies race the close as well as events.
                for (int i = 0; i < 400; i++) {
                    client.sendText("{\"type\":\"ping\"}");
                }

                Frame close = null;
                List<Frame> afterClose = new ArrayList<>();
                try {
                    for (Frame frame = client.read(); frame != null; frame = client.read()) {
                        if (close != null) {
                            afterClose.add(frame);
                        } else if (frame.opcode() == RawWebSocket.OPCODE_CLOSE) {
                            close = frame;
                            answerClose(client);
                        }
                    }
                } catch (RawWebSocket.TruncatedFrameException cut) {
                    // The reset (below) can also cut a frame in half. After the close frame, even half a data frame
                    // is one too many; before it, the round ends here like any reset.
                    if (close != null && cut.opcode() < RawWebSocket.OPCODE_CLOSE) {
                        afterClose.add(new Frame(cut.opcode(), new byte[0]));
                    }
                }

                if (close == null) {
                    // The server closed while the client's unread pings were still in its receive buffer: the
                    // kernel then resets the connection, and the reset can discard the close frame on its way.
                    // Nothing followed a close frame in this round, because none arrived.
                    continue;
                }
                closesSeen++;
                assertThat(close.closeCode()).isEqualTo(1008);
                assertThat(afterClose).as("round %d: frames after the server's close frame", round).isEmpty();
            }
        }
        assertThat(closesSeen).as("rounds in which the server's close frame arrived").isGreaterThanOrEqualTo(ROUNDS / 4);
    }

    /**
     * Answers the server's close as a client must. The server may already have dropped the connection (it closes
     * the TCP side once its close frame is out and the client's unread pings make the kernel reset it), so a broken
     * pipe here is the connection ending, not a failure: what matters is what was read before.
     */
    private static void answerClose(RawWebSocket client) {
        try {
            client.sendClose(1000);
        } catch (IOException connectionAlreadyGone) {
            // nothing to answer any more
        }
    }

    private static void pause(Duration duration) {
        await().pollDelay(duration).atMost(duration.plusSeconds(1)).until(() -> true);
    }

    private RawWebSocket subscribedRawClient() throws IOException {
        RawWebSocket client = RawWebSocket.connect(port);
        assertThat(client.read().text()).contains("\"type\":\"welcome\"");
        client.sendText("{\"type\":\"subscribe\",\"channel\":\"messages\"}");
        return client;
    }

    private static void awaitEvents(RawWebSocket client, int events) throws IOException {
        int seen = 0;
        while (seen < events) {
            Frame frame = client.read();
            assertThat(frame).as("the connection ended early").isNotNull();
            if (frame.opcode() == RawWebSocket.OPCODE_TEXT && frame.text().contains("\"channel\":\"messages\"")) {
                seen++;
            }
        }
    }

    /** Reads up to the server's close frame, then everything after it until the server ends the connection. */
    private static List<Frame> framesAfterServerClose(RawWebSocket client, int round) throws IOException {
        Frame frame = client.read();
        while (frame != null && frame.opcode() != RawWebSocket.OPCODE_CLOSE) {
            frame = client.read();
        }
        assertThat(frame).as("round %d: the server answered the close", round).isNotNull();
        assertThat(frame.closeCode()).isEqualTo(1000);
        List<Frame> after = new ArrayList<>();
        for (Frame next = client.read(); next != null; next = client.read()) {
            after.add(next);
        }
        return after;
    }
}
