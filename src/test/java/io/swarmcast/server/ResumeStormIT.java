package io.swarmcast.server;

import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MessageType;
import io.swarmcast.support.NoClientLeft;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Forty resumes at once while events flow: five times the subscription tasks the delivery thread runs in one round
 * ({@link FanOut#TASKS_PER_ROUND}), so events pass the waiting tasks. Each resuming client must still get every
 * event after its {@code sinceSeq} exactly once and in order (catch-up, then live, with no gap and no repeat where
 * its task ran), and a live reader every event in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(NoClientLeft.class)
class ResumeStormIT {

    private static final int RESUMING = 40;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Test
    void fortyClientsResumingAtOnceWhileEventsFlowEachGetEveryEventAfterTheirSeqOnceInOrder() throws Exception {
        List<TestClient> resuming = new ArrayList<>();
        AtomicBoolean flowing = new AtomicBoolean(true);
        List<Long> published = Collections.synchronizedList(new ArrayList<>());
        try (TestClient reader = TestClient.connectWelcomed(port)) {
            reader.subscribe("messages");
            for (int i = 0; i < 50; i++) {
                published.add(server.broadcast(message(i)));
            }
            long since = published.get(10);
            String epoch = server.epoch();
            List<CompletableFuture<TestClient>> connecting = new ArrayList<>();
            for (int i = 0; i < RESUMING; i++) {
                connecting.add(CompletableFuture.supplyAsync(ResumeStormIT.this::connectWithinTheAttemptRate));
            }
            for (CompletableFuture<TestClient> client : connecting) {
                resuming.add(client.get(20, TimeUnit.SECONDS));
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> resuming.stream().allMatch(client -> !client.framesOfType("welcome").isEmpty()));

            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                // About 1,000 events a second, at most 2,000: the catch-ups stay within the replay limit.
                for (int n = 50; flowing.get() && n < 2_050; n++) {
                    published.add(server.broadcast(message(n)));
                    LockSupport.parkNanos(1_000_000);
                }
            });
            // All subscribe requests at once: their tasks pile up on the delivery thread.
            for (TestClient client : resuming) {
                client.sendJson(Map.of("type", "subscribe", "channel", "messages", "sinceSeq", since, "epoch", epoch));
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> resuming.stream().allMatch(client -> !client.framesOfType("subscribed").isEmpty()));
            flowing.set(false);
            producer.get();
            long last = published.get(published.size() - 1);

            List<Long> all = List.copyOf(published);
            await().atMost(Duration.ofSeconds(20)).until(() -> seqs(reader).size() >= all.size());
            assertThat(seqs(reader)).as("the reader: every event, in order, once").isEqualTo(all);
            List<Long> expected = all.stream().filter(seq -> seq > since).toList();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> resuming.stream().allMatch(client -> seqs(client).contains(last)));
            for (TestClient client : resuming) {
                assertThat(client.framesOfType("subscribed").get(0).path("recovered").asBoolean()).isTrue();
                assertThat(seqs(client)).as("a resuming client: every event after its seq, in order, once")
                        .isEqualTo(expected);
            }
        } finally {
            flowing.set(false);
            resuming.forEach(TestClient::close);
        }
    }

    /** The default server lets one address start 40 handshakes at once, 20 a second after that: over it, 429. */
    private TestClient connectWithinTheAttemptRate() {
        AtomicReference<TestClient> client = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> client.compareAndSet(null, TestClient.connect(port)));
        return client.get();
    }

    private static List<Long> seqs(TestClient client) {
        return client.events().stream().filter(frame -> "messages".equals(frame.path("channel").asString()))
                .filter(frame -> !frame.path("snapshot").asBoolean(false))
                .map(frame -> frame.path("seq").asLong()).toList();
    }

    private static MessageSentEvent message(int n) {
        return new MessageSentEvent("storm-" + n, "agent-a", "agent-b", MessageType.BROADCAST,
                TestClient.JSON.valueToTree("hello " + n), 7, System.currentTimeMillis());
    }
}
