package io.swarmcast.server;

import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.awaitSeq;
import static io.swarmcast.support.ProtocolFixtures.indexOf;
import static io.swarmcast.support.ProtocolFixtures.mixed;
import static io.swarmcast.support.ProtocolFixtures.publish;
import static io.swarmcast.support.ProtocolFixtures.seqs;
import static io.swarmcast.support.ProtocolFixtures.topology;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Gapless resume with {@code subscribe} + {@code sinceSeq} + {@code epoch} (docs/protocol.md section 4). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResumeIT {

    private static final int PUBLISHERS = 4;
    private static final int BATCH = 5;
    /** Events the first connection sees before it drops, that are published while it is away, and live after resume. */
    private static final int PHASE = 1000;
    private static final Duration LONG = Duration.ofSeconds(90);

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    /**
     * Four threads publish across five channels the whole time. The client sees a thousand events, drops
     * without a close handshake, stays away while a thousand more are published, then resumes from the last
     * seq it saw. What it saw before and after, put together, must be every published seq once, in order.
     */
    @Test
    void resumeAfterADroppedConnectionWhilePublishingGoesOnIsGaplessAndExactlyOnce() throws Exception {
        TestClient first = TestClient.connectWelcomed(port);
        String epoch = first.awaitType("welcome").path("epoch").asString();
        first.sendJson(Map.of("type", "subscribe", "channel", "*"));
        first.awaitType("subscribed");

        ConcurrentLinkedQueue<Long> published = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
        List<Future<?>> publishers = new ArrayList<>();
        for (int t = 0; t < PUBLISHERS; t++) {
            String prefix = "resume-" + t;
            publishers.add(pool.submit(() -> {
                int i = 0;
                while (!stop.get()) {
                    List<ObjectNode> batch = new ArrayList<>(BATCH);
                    for (int b = 0; b < BATCH; b++, i++) {
                        batch.add(i % 5 == 4 ? topology("mesh", prefix + "-n" + i) : mixed(prefix, i));
                    }
                    published.addAll(publish(port, batch));
                }
                return null;
            }));
        }
        TestClient second = null;
        try {
            await().atMost(LONG).until(() -> first.events().size() >= PHASE);
            first.abort();
            List<Long> before = seqs(first.frames());
            long lastSeen = before.get(before.size() - 1);

            await().atMost(LONG).until(() -> server.newestSeq() >= lastSeen + PHASE);
            second = TestClient.connectWelcomed(port);
            assertThat(second.awaitType("welcome").path("epoch").asString()).isEqualTo(epoch);
            second.sendJson(Map.of("type", "subscribe", "channel", "*", "sinceSeq", lastSeen, "epoch", epoch));
            JsonNode subscribed = second.awaitType("subscribed");
            long atResume = server.newestSeq();
            TestClient resumed = second;
            await().atMost(LONG).until(() -> resumed.events().stream().anyMatch(f -> f.path("seq").asLong() >= atResume + PHASE));

            stop.set(true);
            for (Future<?> publisher : publishers) {
                publisher.get(60, TimeUnit.SECONDS);
            }
            long finalSeq = server.newestSeq();
            assertThat(finalSeq).isGreaterThanOrEqualTo(published.stream().mapToLong(Long::longValue).max().orElseThrow());
            await().atMost(LONG).until(() -> resumed.events().stream().anyMatch(f -> f.path("seq").asLong() == finalSeq));

            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            assertThat(subscribed.path("epoch").asString()).isEqualTo(epoch);
            assertThat(second.framesOfType("error")).isEmpty();
            assertThat(first.framesOfType("error")).isEmpty();
            List<JsonNode> frames = second.frames();
            assertThat(indexOf(frames, f -> f.has("seq") && f.has("channel")))
                    .as("subscribed comes before every event").isGreaterThan(indexOf(frames, f -> f.equals(subscribed)));

            List<Long> after = seqs(frames);
            assertStrictlyIncreasing(before);
            assertStrictlyIncreasing(after);
            assertThat(after.get(0)).isGreaterThan(lastSeen);
            List<Long> seen = new ArrayList<>(before);
            seen.addAll(after);
            List<Long> sortedPublished = published.stream().filter(seq -> seq > 0).sorted().toList();
            assertThat(sortedPublished.size()).as("thousands of events were published").isGreaterThan(3 * PHASE);
            // Subscribed to every channel, the client must see every seq the log gave out in that time.
            long start = Math.min(before.get(0), sortedPublished.get(0));
            List<Long> expected = LongStream.rangeClosed(start, finalSeq).boxed().toList();
            assertThat(expected).containsAll(sortedPublished);
            assertThat(seen).as("every event exactly once, in order").containsExactlyElementsOf(expected);
        } finally {
            stop.set(true);
            pool.shutdownNow();
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void resumeWithAnotherEpochGivesAHistoryGapAndReplaysNothing() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            String epoch = client.awaitType("welcome").path("epoch").asString();
            List<Long> seqs = publish(port, agent("epoch-a", "busy"), agent("epoch-b", "busy"), agent("epoch-c", "busy"));

            client.sendJson(Map.of("type", "subscribe", "channel", "agents", "sinceSeq", seqs.get(0), "epoch", epoch + "-old"));
            JsonNode subscribed = client.awaitType("subscribed");
            JsonNode gap = client.awaitType("error");
            long oldestHeld = server.newestSeq() - server.historySize() + 1;
            long marker = publish(port, agent("epoch-marker", "idle")).get(0);
            awaitSeq(client, marker);

            assertThat(subscribed.path("recovered").asBoolean()).isFalse();
            assertThat(subscribed.has("recovered")).isTrue();
            assertThat(gap.path("code").asString()).isEqualTo("history_gap");
            assertThat(gap.path("epoch").asString()).as("the current epoch").isEqualTo(epoch);
            assertThat(gap.path("fromSeq").asLong()).as("the oldest seq held").isEqualTo(oldestHeld);
            List<JsonNode> frames = client.frames();
            assertThat(indexOf(frames, f -> f.equals(gap))).isEqualTo(indexOf(frames, f -> f.equals(subscribed)) + 1);
            assertThat(seqs(client.events())).as("no replayed events, only the live one").containsExactly(marker);
        }
    }

    @Test
    void sinceSeqWithoutEpochResumesInTheCurrentEpoch() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            List<Long> seqs = publish(port, agent("noepoch-a", "busy"), mixed("noepoch", 1), agent("noepoch-b", "idle"));

            client.sendJson(Map.of("type", "subscribe", "channel", "agents", "sinceSeq", seqs.get(0) - 1));
            JsonNode subscribed = client.awaitType("subscribed");
            long marker = publish(port, agent("noepoch-marker", "idle")).get(0);
            awaitSeq(client, marker);

            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            assertThat(client.framesOfType("error")).isEmpty();
            assertThat(seqs(client.events())).as("missed agents events, then live")
                    .containsExactly(seqs.get(0), seqs.get(2), marker);
        }
    }

    private static void assertStrictlyIncreasing(List<Long> seqs) {
        assertThat(seqs).isNotEmpty();
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("seq at %d", i).isGreaterThan(seqs.get(i - 1));
        }
    }
}
