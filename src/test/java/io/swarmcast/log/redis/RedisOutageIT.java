package io.swarmcast.log.redis;

import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import io.swarmcast.support.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.awaitSeq;
import static io.swarmcast.support.ProtocolFixtures.indexOf;
import static io.swarmcast.support.ProtocolFixtures.publish;
import static io.swarmcast.support.ProtocolFixtures.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis going away under running instances: nothing is acknowledged that is not in the log, readiness follows
 * Redis while liveness and the WebSocket connections stay up, and the tail picks up where it was, or, when Redis
 * came back empty, announces the new epoch.
 */
class RedisOutageIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String[] DURABLE = SharedRedisLogIT.DURABLE;

    private TestRedis redis;

    @BeforeEach
    void startRedis() {
        redis = TestRedis.start();
        assumeThat(redis.controllable()).as("needs a Redis the test can stop (not REDIS_URL)").isTrue();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    @Test
    void whileRedisIsDownProducersGet503AndEveryAcknowledgedEventArrivesOnceWhenItIsBack() throws Exception {
        String prefix = TestRedis.newKeyPrefix();
        try (SwarmcastInstance a = SwarmcastInstance.start(redis, prefix, "a");
             SwarmcastInstance b = SwarmcastInstance.start(redis, prefix, "b");
             TestClient onA = TestClient.connectWelcomed(a.port);
             TestClient onB = TestClient.connectWelcomed(b.port)) {
            String epoch = onA.awaitType("welcome").path("epoch").asString();
            onA.subscribe(DURABLE);
            onB.subscribe(DURABLE);

            List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
            List<Http.Response> refused = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean producing = new AtomicBoolean(true);
            Thread producer = new Thread(() -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                for (int i = 0; producing.get() && System.nanoTime() < deadline; i++) {
                    int port = i % 2 == 0 ? a.port : b.port;
                    Http.Response response = Http.post(port, "/api/events", agent("producer-" + i, "busy").toString());
                    if (response.status() == 202) {
                        acknowledged.add(response.json().path("seqs").get(0).asLong());
                    } else {
                        refused.add(response);
                    }
                    sleep(20);
                }
            }, "outage-producer");
            producer.start();
            try {
                await().atMost(PATIENCE).until(() -> acknowledged.size() >= 10);

                redis.stop();
                await().atMost(PATIENCE).until(() -> !refused.isEmpty());
                Http.Response refusal = refused.get(0);
                assertThat(refusal.status()).as(refusal.body()).isEqualTo(503);
                assertThat(refusal.json().path("code").asString()).isEqualTo("log_unavailable");
                assertThat(refusal.body()).doesNotContain("Exception");
                Http.Response command = Rest.post(b.port, "/api/agents",
                        Rest.object("id", "spawned-during-outage", "name", "Late", "type", "coder"));
                assertThat(command.status()).as("a command is refused like ingest: " + command.body()).isEqualTo(503);
                assertThat(command.json().path("code").asString()).isEqualTo("log_unavailable");
                await().atMost(PATIENCE).until(() -> a.readiness() == 503 && b.readiness() == 503);
                assertThat(a.liveness()).isEqualTo(200);
                assertThat(b.liveness()).isEqualTo(200);
                assertThat(Http.get(a.port, "/actuator/health/readiness").json().path("components").path("eventLog")
                        .path("status").asString()).isEqualTo("DOWN");
                int acknowledgedBeforeRestart = acknowledged.size();

                redis.startAgain();
                await().atMost(PATIENCE).until(() -> a.readiness() == 200 && b.readiness() == 200);
                await().atMost(PATIENCE).until(() -> acknowledged.size() >= acknowledgedBeforeRestart + 10);
            } finally {
                producing.set(false);
                producer.join();
            }
            assertThat(refused).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(503));

            long marker = publish(b.port, agent("marker", "idle")).get(0);
            for (TestClient client : List.of(onA, onB)) {
                awaitSeq(client, marker);
                List<Long> seen = seqs(client.events());
                assertThat(seen).as("every event once, in order, no gap").isEqualTo(
                        LongStream.rangeClosed(seen.get(0), marker).boxed().toList());
                assertThat(seen).containsAll(acknowledged);
                assertThat(client.framesOfType("error")).as("Redis came back with its data: same epoch").isEmpty();
                assertThat(client.isOpen()).isTrue();
            }
            try (TestClient late = TestClient.connectWelcomed(a.port)) {
                assertThat(late.awaitType("welcome").path("epoch").asString()).isEqualTo(epoch);
            }
        }
    }

    @Test
    void whenRedisComesBackEmptyClientsLearnOfTheNewEpochAndAResumeGetsASnapshot() {
        String prefix = TestRedis.newKeyPrefix();
        try (SwarmcastInstance a = SwarmcastInstance.start(redis, prefix, "a");
             TestClient live = TestClient.connectWelcomed(a.port)) {
            String oldEpoch = live.awaitType("welcome").path("epoch").asString();
            live.subscribe(DURABLE);
            List<Long> before = publish(a.port, agent("survivor", "busy"), agent("other", "idle"));
            awaitSeq(live, before.get(1));

            redis.stop();
            redis.wipeData();
            redis.startAgain();

            JsonNode gap = live.awaitFrame(f -> "error".equals(f.path("type").asString()));
            assertThat(gap.path("code").asString()).isEqualTo("history_gap");
            String newEpoch = gap.path("epoch").asString();
            assertThat(newEpoch).isNotBlank().isNotEqualTo(oldEpoch);
            assertThat(gap.path("fromSeq").asLong()).isEqualTo(1L);

            await().atMost(PATIENCE).until(() -> a.readiness() == 200);
            long first = publish(a.port, agent("first-of-new-epoch", "busy")).get(0);
            assertThat(first).as("seqs restart with the epoch").isEqualTo(1L);
            awaitSeq(live, first);
            List<JsonNode> frames = live.frames();
            assertThat(indexOf(frames, f -> "first-of-new-epoch".equals(f.path("agentId").asString())))
                    .as("the gap comes before the new epoch's first event").isGreaterThan(indexOf(frames, gap::equals));
            assertThat(live.isOpen()).isTrue();

            try (TestClient resuming = TestClient.connectWelcomed(a.port)) {
                assertThat(resuming.awaitType("welcome").path("epoch").asString()).isEqualTo(newEpoch);
                resuming.sendJson(Map.of("type", "subscribe", "channel", "agents", "sinceSeq", before.get(1),
                        "epoch", oldEpoch));
                JsonNode subscribed = resuming.awaitType("subscribed");
                JsonNode resumeGap = resuming.awaitType("error");
                JsonNode snapshot = resuming.awaitFrame(f -> f.path("snapshot").asBoolean()
                        && "survivor".equals(f.path("agentId").asString()));

                assertThat(subscribed.path("recovered").asBoolean()).isFalse();
                assertThat(resumeGap.path("code").asString()).isEqualTo("history_gap");
                assertThat(resumeGap.path("epoch").asString()).isEqualTo(newEpoch);
                assertThat(snapshot.path("status").asString()).isEqualTo("busy");
                assertThat(seqs(resuming.events())).as("nothing of the new epoch passed off as the old one's").isEmpty();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
