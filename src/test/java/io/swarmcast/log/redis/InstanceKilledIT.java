package io.swarmcast.log.redis;

import io.swarmcast.support.FreePorts;
import io.swarmcast.support.Http;
import io.swarmcast.support.JarProcess;
import io.swarmcast.support.TestClient;
import io.swarmcast.support.TestRedis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

import static io.swarmcast.support.ProtocolFixtures.awaitSeq;
import static io.swarmcast.support.ProtocolFixtures.mixed;
import static io.swarmcast.support.ProtocolFixtures.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance killed with SIGKILL (no shutdown at all: no close frames, no last checkpoint, its client count left in
 * Redis) while a producer posts to another instance: its client reconnects to the other instance with
 * {@code sinceSeq} + {@code epoch}, gets {@code recovered:true}, and across both connections receives every seq once,
 * in order, with no gap; the killed instance's clients drop out of {@code connectedClients} within seconds. Two
 * packaged jars in processes of their own, as operators run them, on one Redis.
 */
class InstanceKilledIT {

    private static final Path LOGS = Path.of("target", "instance-killed-it");
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Two JVMs starting side by side on a machine that may be busy with a build. */
    private static final Duration STARTUP = Duration.ofSeconds(240);

    @BeforeAll
    static void jarExists() {
        assertThat(JarProcess.JAR).as("run with ./mvnw verify, which packages the jar before integration tests").isRegularFile();
    }

    @Test
    void theClientsOfAKilledInstanceResumeOnAnotherWithNothingLostOrRepeated() throws Exception {
        int[] ports = FreePorts.distinct(2);
        int portA = ports[0];
        int portB = ports[1];
        String prefix = TestRedis.newKeyPrefix();
        try (TestRedis redis = TestRedis.start();
             JarProcess a = JarProcess.start(LOGS, "a", Map.of(), settings(redis, prefix, "a", portA));
             JarProcess b = JarProcess.start(LOGS, "b", Map.of(), settings(redis, prefix, "b", portB))) {
            a.awaitReady(portA, STARTUP);
            b.awaitReady(portB, STARTUP);

            TestClient reader = TestClient.connectWelcomed(portA);
            String epoch = reader.awaitType("welcome").path("epoch").asString();
            reader.subscribe(SharedRedisLogIT.DURABLE);
            TestClient bystander = TestClient.connectWelcomed(portA);
            bystander.subscribe("metrics");
            try (TestClient watcher = TestClient.connectWelcomed(portB)) {
                watcher.subscribe("metrics");
                ClientCountIT.awaitConnectedClients(watcher, 3);

                List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
                List<String> refused = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean producing = new AtomicBoolean(true);
                Thread producer = new Thread(() -> {
                    for (int i = 0; producing.get(); i++) {
                        try {
                            Http.Response answer = Http.post(portB, "/api/events", mixed("steady-" + i, i).toString());
                            if (answer.status() == 202) {
                                acknowledged.add(answer.json().path("seqs").get(0).asLong());
                            } else {
                                refused.add(answer.status() + " " + answer.body());
                            }
                        } catch (RuntimeException e) {
                            refused.add(e.toString());
                        }
                        pause(10);
                    }
                }, "steady-producer");
                producer.start();
                TestClient resumed = null;
                try {
                    await().atMost(PATIENCE).until(() -> seqs(reader.events()).size() >= 20);

                    a.process().destroyForcibly();
                    assertThat(a.process().waitFor(10, TimeUnit.SECONDS)).as("SIGKILL ends A").isTrue();
                    await("the reader learns its connection is gone").atMost(PATIENCE).until(reader::isClosed);
                    List<Long> beforeKill = seqs(reader.events());
                    long lastSeen = beforeKill.get(beforeKill.size() - 1);

                    resumed = TestClient.connectWelcomed(portB);
                    assertThat(resumed.awaitType("welcome").path("epoch").asString()).as("one log, one epoch").isEqualTo(epoch);
                    resumed.sendJson(Map.of("type", "subscribe", "channels", List.of(SharedRedisLogIT.DURABLE),
                            "sinceSeq", lastSeen, "epoch", epoch, "snapshot", false));
                    JsonNode subscribed = resumed.awaitType("subscribed");
                    assertThat(subscribed.path("recovered").asBoolean()).as(subscribed.toString()).isTrue();

                    int acknowledgedAtResume = acknowledged.size();
                    await().atMost(PATIENCE).until(() -> acknowledged.size() >= acknowledgedAtResume + 20);
                } finally {
                    producing.set(false);
                    producer.join();
                }
                try (TestClient onB = resumed) {
                    // B stays up; only a Redis command timing out (a very busy machine) may refuse a post, with a 503.
                    assertThat(refused).allSatisfy(refusal -> assertThat(refusal).startsWith("503 "));
                    long newest = Collections.max(acknowledged);
                    awaitSeq(onB, newest);

                    List<Long> seen = new ArrayList<>(seqs(reader.events()));
                    seen.addAll(seqs(onB.events()));
                    assertThat(seen).as("across both connections: every seq once, in order, no gap")
                            .isEqualTo(LongStream.rangeClosed(seen.get(0), newest).boxed().toList());
                    assertThat(seen).containsAll(acknowledged);
                    assertThat(onB.framesOfType("error")).isEmpty();

                    // A's two clients drop out of the total once A's count has not been refreshed for a few seconds.
                    ClientCountIT.awaitConnectedClients(watcher, 2);
                }
            } finally {
                reader.abort();
                bystander.abort();
            }
        }
    }

    private static String[] settings(TestRedis redis, String prefix, String serverId, int port) {
        return new String[] {"--port=" + port, "--swarmcast.compat-enabled=false", "--swarmcast.server-id=" + serverId,
                "--swarmcast.log.type=redis", "--spring.data.redis.url=" + redis.url(),
                "--swarmcast.log.redis.key-prefix=" + prefix};
    }

    /** The producer's pace between posts (a rate, not a wait for a condition). */
    private static void pause(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
