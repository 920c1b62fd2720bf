package io.swarmcast.server;

import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.EventParser;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.swarmcast.support.ProtocolFixtures.message;
import static io.swarmcast.support.ProtocolFixtures.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Event frames are written straight to the connection's socket (the direct {@code FrameSocket}) while Tomcat
 * writes on the same socket too: it answers the client's protocol pings itself. Both streams must arrive
 * whole and in order, however their writes meet.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "swarmcast.limits.send-buffer-limit=64MB")
class SharedSocketIT {

    private static final int EVENTS = 5_000;
    private static final int PINGS = 300;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    EventParser parser;

    @Test
    void eventFramesAndTheContainersPongsInterleaveWithoutCorruption() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("messages");
            CompletableFuture<List<Long>> published = CompletableFuture.supplyAsync(this::publishInBatches);
            for (int i = 0; i < PINGS; i++) {
                client.sendProtocolPing("ping-" + i);
            }
            List<Long> sent = published.join();

            await().atMost(Duration.ofSeconds(30)).until(() -> client.events().size() >= EVENTS);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.pongs().size() >= PINGS);

            assertThat(seqs(client.events())).as("every event once, in order").containsExactlyElementsOf(sent);
            assertThat(client.pongs()).as("every pong, in order")
                    .containsExactlyElementsOf(IntStream.range(0, PINGS).mapToObj(i -> "ping-" + i).toList());
            assertThat(client.isOpen()).isTrue();
        }
    }

    /**
     * The client stops reading until the socket is full, so frames wait behind a write in flight; then it
     * pings, and Tomcat's pongs wait for that write; then it reads again, and the writes meet head on.
     */
    @Test
    void pongsThatWaitedForAFullSocketStillComeOutWholeAndInOrder() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("messages");
            client.stopReading();
            List<Long> sent = new ArrayList<>();
            for (int batch = 0; batch < 40; batch++) {
                List<DashboardEvent> events = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    events.add(parser.parse(message("full-" + batch + "-" + i, "y".repeat(3_000))));
                }
                sent.addAll(server.broadcastAll(events));
            }
            CompletableFuture<Void> pinging = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 20; i++) {
                    client.sendProtocolPing("late-" + i);
                }
            });
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
            client.resumeReading();
            pinging.join();

            await().atMost(Duration.ofSeconds(30)).until(() -> client.events().size() >= sent.size());
            await().atMost(Duration.ofSeconds(10)).until(() -> client.pongs().size() >= 20);
            assertThat(seqs(client.events())).containsExactlyElementsOf(sent);
            assertThat(client.pongs()).containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "late-" + i).toList());
            assertThat(client.isOpen()).isTrue();
        }
    }

    private List<Long> publishInBatches() {
        List<Long> seqs = new ArrayList<>(EVENTS);
        for (int batch = 0; batch < EVENTS / 50; batch++) {
            List<DashboardEvent> events = new ArrayList<>(50);
            for (int i = 0; i < 50; i++) {
                int n = batch * 50 + i;
                events.add(parser.parse(message("shared-" + n, "x".repeat(n % 300))));
            }
            seqs.addAll(server.broadcastAll(events));
        }
        assertThat(seqs).isEqualTo(LongStream.rangeClosed(seqs.get(0), seqs.get(0) + EVENTS - 1).boxed().toList());
        return seqs;
    }
}
