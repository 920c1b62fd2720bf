package io.swarmcast.publish;

import io.swarmcast.support.ChannelWatch;
import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.swarmcast.support.Rest.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code metrics:update} in a context of its own (so counts are exact): it arrives about once a second,
 * whatever happens, and its values match the state the services hold.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "swarmcast.server-id=metrics-it")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class MetricsIT {

    @LocalServerPort
    int port;

    private TestClient client;
    private ChannelWatch metrics;

    @BeforeEach
    void subscribe() {
        client = TestClient.connectWelcomed(port);
        client.subscribe("metrics");
        metrics = new ChannelWatch(client, "metrics");
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void metricsArriveAboutOnceASecondEvenWhenNothingHappens() {
        int mark = metrics.mark();

        // Count for five seconds: never a burst on the way, and about five at the end.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
                .untilAsserted(() -> assertThat(metrics.since(mark).size()).isLessThanOrEqualTo(8));
        List<JsonNode> frames = metrics.since(mark);
        assertThat(frames.size()).isBetween(3, 8);

        long first = frames.get(0).path("timestamp").asLong();
        long last = frames.get(frames.size() - 1).path("timestamp").asLong();
        assertThat((last - first) / (double) (frames.size() - 1)).as("mean interval, ms").isBetween(700.0, 1300.0);
        for (int i = 1; i < frames.size(); i++) {
            long gap = frames.get(i).path("timestamp").asLong() - frames.get(i - 1).path("timestamp").asLong();
            assertThat(gap).as("gap between ticks %d and %d", i - 1, i).isBetween(300L, 1700L);
        }
        for (JsonNode frame : frames) {
            assertThat(frame.path("type").asString()).isEqualTo("metrics:update");
            assertThat(frame.path("event").asString()).isEqualTo("metrics:update");
            assertThat(frame.has("seq")).as("metrics are ephemeral: no seq").isFalse();
            for (String field : List.of("activeAgents", "pendingTasks", "messagesPerSecond", "memoryOpsPerSecond",
                    "connectedClients", "eventsPerSecond")) {
                assertThat(frame.path(field).isNumber()).as(field + " in " + frame).isTrue();
                assertThat(frame.path("data").path(field)).as("data." + field).isEqualTo(frame.path(field));
            }
        }
    }

    @Test
    void metricsMatchTheState() {
        JsonNode before = measuredAfterNow();
        assertThat(before.path("activeAgents").asInt()).isZero();
        assertThat(before.path("pendingTasks").asInt()).isZero();
        assertThat(before.path("connectedClients").asInt()).isEqualTo(1);

        // Three active agents; one idle and one stopped do not count.
        String a = Rest.spawnAgent(port, "agent-a", "A", "coder");
        String b = Rest.spawnAgent(port, "agent-b", "B", "tester");
        String c = Rest.spawnAgent(port, "agent-c", "C", "analyst");
        Rest.expect(Rest.post(port, "/api/agents", object("id", "agent-idle", "name", "Idle", "type", "coder", "status", "idle")), 201);
        Rest.spawnAgent(port, "agent-gone", "Gone", "coder");
        Rest.expect(Rest.delete(port, "/api/agents/agent-gone"), 200);
        // Three tasks, one of them assigned (its agent is busy, which still counts as active).
        Rest.createTask(port, "task-1", "one");
        Rest.createTask(port, "task-2", "two");
        Rest.createTask(port, "task-3", "three");
        Rest.taskCommand(port, "task-1", "assign", object("agentId", a));

        // Ten messages and ten memory writes, one of each every 100 ms.
        String[] agents = {a, b, c};
        AtomicInteger sent = new AtomicInteger();
        AtomicLong firstDone = new AtomicLong();
        AtomicLong lastStarted = new AtomicLong();
        AtomicLong lastDone = new AtomicLong();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try {
            ScheduledFuture<?> sending = pacer.scheduleAtFixedRate(() -> {
                try {
                    int i = sent.get();
                    if (i >= 10) {
                        done.complete(null);
                        return;
                    }
                    lastStarted.set(System.currentTimeMillis());
                    Rest.expect(Rest.post(port, "/api/messages", object("source", agents[i % 3],
                            "target", agents[(i + 1) % 3], "type", "task", "payload", "step " + i)), 201);
                    Rest.expect(Rest.put(port, "/api/memory/metrics/step-" + i, String.valueOf(i)), 201);
                    firstDone.compareAndSet(0, System.currentTimeMillis());
                    lastDone.set(System.currentTimeMillis());
                    sent.incrementAndGet();
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            done.orTimeout(20, TimeUnit.SECONDS).join();
            sending.cancel(false);
        } finally {
            pacer.shutdownNow();
        }
        long busyFrom = firstDone.get();
        long busyUntil = lastStarted.get() + 900;

        JsonNode after = measuredAfterNow();
        assertThat(after.path("activeAgents").asInt()).isEqualTo(3);
        assertThat(after.path("pendingTasks").asInt()).isEqualTo(2);
        assertThat(after.path("connectedClients").asInt()).isEqualTo(1);
        assertThat(after.path("data").path("activeAgents").asInt()).isEqualTo(3);

        // Every tick while the messages flowed saw some, and never more than were sent.
        List<JsonNode> whileBusy = metrics.events().stream()
                .filter(f -> f.path("timestamp").asLong() >= busyFrom && f.path("timestamp").asLong() <= busyUntil)
                .toList();
        assertThat(whileBusy).as("ticks between %d and %d", busyFrom, busyUntil).isNotEmpty();
        for (JsonNode tick : whileBusy) {
            assertThat(tick.path("messagesPerSecond").asDouble()).as(tick.toString()).isGreaterThan(0).isLessThanOrEqualTo(10);
            assertThat(tick.path("memoryOpsPerSecond").asDouble()).as(tick.toString()).isGreaterThan(0).isLessThanOrEqualTo(10);
            assertThat(tick.path("eventsPerSecond").asDouble()).as(tick.toString()).isGreaterThan(0);
        }
        // Over a sliding second: a second after the last message the rate is back to zero.
        long quietFrom = lastDone.get() + 1100;
        JsonNode quiet = awaitMetrics(f -> f.path("timestamp").asLong() > quietFrom);
        assertThat(quiet.path("messagesPerSecond").asDouble()).isZero();
        assertThat(quiet.path("memoryOpsPerSecond").asDouble()).isZero();

        // State changes show in the next measurement.
        Rest.taskCommand(port, "task-2", "fail", object("error", "not needed"));
        Rest.expect(Rest.patch(port, "/api/agents/" + c, object("status", "error")), 200);
        JsonNode changed = measuredAfterNow();
        assertThat(changed.path("pendingTasks").asInt()).isEqualTo(1);
        assertThat(changed.path("activeAgents").asInt()).isEqualTo(2);
        assertThat(changed.path("pendingTasks").asInt())
                .isEqualTo(Http.get(port, "/api/tasks?status=pending").json().size());

        // A second client is counted while it is connected.
        try (TestClient second = TestClient.connectWelcomed(port)) {
            assertThat(measuredAfterNow().path("connectedClients").asInt()).isEqualTo(2);
            second.close();
            long closedAt = System.currentTimeMillis();
            awaitMetrics(f -> f.path("timestamp").asLong() > closedAt && f.path("connectedClients").asInt() == 1);
        }
    }

    @Test
    void historyHoldsTheTicksSentOverTheWireOldestFirst() {
        // Two ticks seen live, then the history must hold both, with the same numbers and timestamps.
        JsonNode seen = measuredAfterNow();
        JsonNode document = Http.get(port, "/api/metrics/history").json();
        assertThat(document.path("windowMs").asLong()).isEqualTo(300_000);
        assertThat(document.path("intervalMs").asLong()).isEqualTo(1000);
        assertThat(document.path("version").asString()).isNotBlank();
        JsonNode points = document.path("points");
        assertThat(points.size()).isBetween(2, MetricsHistory.CAPACITY);
        for (int i = 1; i < points.size(); i++) {
            assertThat(points.get(i).path("timestamp").asLong()).isGreaterThan(points.get(i - 1).path("timestamp").asLong());
        }
        JsonNode same = null;
        for (JsonNode point : points) {
            if (point.path("timestamp").asLong() == seen.path("timestamp").asLong()) {
                same = point;
            }
        }
        assertThat(same).as("the tick at %s in %s", seen.path("timestamp"), points).isNotNull();
        for (String field : List.of("activeAgents", "pendingTasks", "messagesPerSecond", "memoryOpsPerSecond",
                "connectedClients", "eventsPerSecond")) {
            assertThat(same.path(field)).as(field).isEqualTo(seen.path(field));
        }
        // Only the metrics: nothing of the frame's envelope.
        assertThat(same.has("type")).isFalse();
        assertThat(same.has("channel")).isFalse();
    }

    /** The second frame that arrives after this call: certainly measured after everything done before it. */
    private JsonNode measuredAfterNow() {
        int mark = metrics.mark();
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.since(mark).size() >= 2);
        return metrics.since(mark).get(1);
    }

    private JsonNode awaitMetrics(java.util.function.Predicate<JsonNode> matching) {
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.events().stream().anyMatch(matching));
        return metrics.events().stream().filter(matching).findFirst().orElseThrow();
    }
}
