package io.swarmcast.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcast.event.AgentMetrics;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MemoryOperationEvent;
import io.swarmcast.event.MemoryOperationType;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MessageType;
import io.swarmcast.event.TaskStatus;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.support.Meters;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Conflation (docs/protocol.md 7.3a) on a real server ({@link LimitedServerTest}: 64 KB live bound, conflation from
 * 8 KB waiting, 2 s send-time limit). Three clients watch the same stream of agent, task, message and memory events:
 * one reads everything (the reference), two read exactly one frame for every ten events published. The one that
 * subscribed with {@code "conflate":true} stays connected, ends with the same agents and tasks as the reference and
 * as a fresh snapshot, and its {@code conflated} notices name exactly the seqs it did not get; the one that did not
 * ask for conflation is closed as a slow consumer, as before.
 *
 * <p>Events are published in-process at 2,000 a second, in batches, and never more than a few ahead of the reading
 * client (so it can never be the slow one, however loaded the machine). The slow clients are let read 200 frames a
 * second, on a clock of their own: a tenth of the event rate, or a little more when a loaded machine publishes
 * slower. Their pace is kept by the clock rather than by the producer so that a stalled producer does not stall
 * their reading too (a write stuck past the 2 s send-time limit closes any client, conflating or not).
 */
@LimitedServerTest
class ConflationIT {

    private static final List<String> CHANNELS = List.of("agents", "tasks", "messages", "memory");
    private static final int MIN_EVENTS = 8_000;
    private static final int MAX_EVENTS = 40_000;
    private static final int BATCH = 20;
    /** One batch every 10 ms: 2,000 events a second. */
    private static final long BATCH_NANOS = 10_000_000;
    /** The slow clients read one frame every 5 ms: 200 a second, a tenth of the event rate. */
    private static final long READ_PERIOD_MILLIS = 5;
    /** How far the reading client may lag behind the producer: well within its 64 KB bound. */
    private static final int LAG = 100;
    private static final int AGENTS = 10;
    private static final int TASKS = 20;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    MeterRegistry meters;

    private ScheduledExecutorService pace;

    @BeforeEach
    void noClientLeftFromEarlierTests() {
        await().atMost(Duration.ofSeconds(30)).until(() -> server.getConnectedClients() == 0);
    }

    @AfterEach
    void stopPace() {
        if (pace != null) {
            pace.shutdownNow();
        }
    }

    private double framesConflated() {
        return meters.get("swarmcast.frames.conflated").functionCounter().count();
    }

    /** One more frame for a client that reads at the test's pace; a closed one is past caring. */
    private static void grant(TestClient client) {
        try {
            client.grant(1);
        } catch (RuntimeException closed) {
            // An exception would cancel the periodic task, and with it the other client's pace.
        }
    }

    @Test
    void aClientReadingATenthOfTheEventRateStaysConnectedConvergesAndIsToldOfEverySkippedSeq() {
        String run = "cf" + Long.toString(System.nanoTime() % 1_000_000, 36) + "-";
        double slowConsumersBefore = Meters.closed(meters, "slow_consumer");
        double conflatedBefore = framesConflated();
        try (TestClient reader = TestClient.connectWelcomed(port);
             TestClient conflating = TestClient.connectWelcomed(port);
             TestClient plain = TestClient.connectWelcomed(port)) {
            reader.subscribe(CHANNELS.toArray(String[]::new));
            conflating.sendJson(Map.of("type", "subscribe", "channels", CHANNELS, "conflate", true));
            conflating.awaitType("subscribed");
            plain.subscribe(CHANNELS.toArray(String[]::new));
            conflating.stopReading();
            plain.stopReading();
            pace = Executors.newSingleThreadScheduledExecutor();
            pace.scheduleAtFixedRate(() -> {
                grant(conflating);
                grant(plain);
            }, READ_PERIOD_MILLIS, READ_PERIOD_MILLIS, TimeUnit.MILLISECONDS);

            Random random = new Random(11);
            List<Long> seqs = new ArrayList<>();
            Map<Long, String> channelOf = new HashMap<>();
            long due = System.nanoTime();
            while (seqs.size() < MIN_EVENTS
                    || (Meters.closed(meters, "slow_consumer") == slowConsumersBefore && seqs.size() < MAX_EVENTS)) {
                List<DashboardEvent> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    batch.add(randomEvent(random, run, seqs.size() + i));
                }
                List<Long> published = server.broadcastAll(batch);
                for (int i = 0; i < BATCH; i++) {
                    channelOf.put(published.get(i), batch.get(i).channel().wireName());
                }
                seqs.addAll(published);
                due += BATCH_NANOS;
                long next = due;
                int readerNeeds = seqs.size() - LAG;
                await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(1))
                        .until(() -> System.nanoTime() >= next && reader.events().size() >= readerNeeds);
            }

            // The producer stops; the slow clients read on.
            pace.shutdownNow();
            conflating.resumeReading();
            plain.resumeReading();

            // The plain client, at the same pace, was cut off as before; the conflating one is still there.
            assertThat(plain.awaitClose()).as("1013 when the close frame gets through, else an abnormal close")
                    .isIn(1013, 1006, -1);
            assertThat(Meters.closed(meters, "slow_consumer")).isEqualTo(slowConsumersBefore + 1);
            assertThat(conflating.isOpen()).isTrue();

            // The conflating client catches up.
            awaitEvents(reader, seqs.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> accountedFor(conflating).containsAll(seqs));

            assertThat(seqsOf(reader)).as("the reader got every event, in order").isEqualTo(seqs);
            List<Long> received = seqsOf(conflating);
            assertThat(received).as("a conflating client's seqs still only grow").isSorted().doesNotHaveDuplicates();
            assertThat(received.size()).as("it was sent fewer frames").isLessThan(seqs.size());
            List<JsonNode> notices = conflating.framesOfType("conflated");
            assertThat(notices).isNotEmpty();

            // Every seq either arrived or is named in exactly one notice, and the counts per channel agree.
            List<Long> named = new ArrayList<>();
            Map<String, Integer> namedPerChannel = new HashMap<>();
            Map<String, Integer> countedPerChannel = new HashMap<>();
            for (JsonNode notice : notices) {
                List<Long> inNotice = new ArrayList<>();
                for (JsonNode range : notice.path("seqs")) {
                    for (long seq = range.get(0).asLong(); seq <= range.get(1).asLong(); seq++) {
                        inNotice.add(seq);
                        namedPerChannel.merge(channelOf.get(seq), 1, Integer::sum);
                    }
                }
                assertThat(notice.path("count").asLong()).isEqualTo(inNotice.size());
                assertThat(inNotice).allSatisfy(seq -> assertThat(seq).isBetween(
                        notice.path("fromSeq").asLong(), notice.path("toSeq").asLong()));
                notice.path("skipped").properties().forEach(entry ->
                        countedPerChannel.merge(entry.getKey(), entry.getValue().asInt(), Integer::sum));
                named.addAll(inNotice);
            }
            assertThat(named).doesNotHaveDuplicates().doesNotContainAnyElementsOf(received);
            Set<Long> all = new HashSet<>(received);
            all.addAll(named);
            assertThat(all).containsExactlyInAnyOrderElementsOf(seqs);
            assertThat(countedPerChannel).isEqualTo(namedPerChannel);
            assertThat(framesConflated() - conflatedBefore).as("swarmcast.frames.conflated")
                    .isEqualTo(countedPerChannel.values().stream().mapToInt(Integer::intValue).sum());
            assertThat(namedPerChannel).containsKeys("messages", "memory", "agents", "tasks");

            // Its view is the reader's view: the newest frame of every agent and task is the same.
            assertThat(latest(conflating, "agent:status", "agentId")).hasSize(AGENTS)
                    .isEqualTo(latest(reader, "agent:status", "agentId"));
            assertThat(latest(conflating, "task:update", "taskId")).hasSize(TASKS)
                    .isEqualTo(latest(reader, "task:update", "taskId"));
            assertThat(conflating.isOpen()).isTrue();
            assertThat(Meters.closed(meters, "slow_consumer")).isEqualTo(slowConsumersBefore + 1);

            // And the server's own state, as a client subscribing now sees it, agrees.
            await().atMost(Duration.ofSeconds(30)).until(() -> server.getConnectedClients() == 2);
            try (TestClient fresh = TestClient.connectWelcomed(port)) {
                fresh.subscribe("agents", "tasks");
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        latest(fresh, "agent:status", "agentId", run).size() == AGENTS
                                && latest(fresh, "task:update", "taskId", run).size() == TASKS);
                assertThat(latest(fresh, "agent:status", "agentId", run))
                        .isEqualTo(latest(conflating, "agent:status", "agentId"));
                assertThat(latest(fresh, "task:update", "taskId", run))
                        .isEqualTo(latest(conflating, "task:update", "taskId"));
            }
        }
    }

    @Test
    void conflateMustBeABoolean() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.sendJson(Map.of("type", "subscribe", "channel", "agents", "conflate", "yes"));
            JsonNode error = client.awaitType("error");
            assertThat(error.path("code").asString()).isEqualTo("invalid_field");
            assertThat(error.path("field").asString()).isEqualTo("conflate");
            assertThat(client.framesOfType("subscribed")).as("the request is not applied").isEmpty();

            client.sendJson(Map.of("type", "subscribe", "channel", "agents", "conflate", false));
            assertThat(client.awaitType("subscribed").path("channels").toString()).isEqualTo("[\"agents\"]");
        }
    }

    /** Four in ten agent updates, three task updates, two messages, one memory operation. */
    private static DashboardEvent randomEvent(Random random, String run, int n) {
        long now = System.currentTimeMillis();
        int kind = random.nextInt(10);
        if (kind < 4) {
            AgentStatus[] statuses = {AgentStatus.ACTIVE, AgentStatus.BUSY, AgentStatus.IDLE};
            return AgentStatusEvent.builder().agentId(run + "agent-" + random.nextInt(AGENTS)).name("Agent")
                    .agentType("coder").status(statuses[random.nextInt(statuses.length)])
                    .metrics(AgentMetrics.builder().cpu(random.nextInt(10_000) / 100.0).memory(128.0)
                            .messageCount((long) n).build())
                    .timestamp(now).build();
        }
        if (kind < 7) {
            TaskStatus[] statuses = {TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.COMPLETED};
            return TaskUpdateEvent.builder().taskId(run + "task-" + random.nextInt(TASKS))
                    .status(statuses[random.nextInt(statuses.length)]).description("step " + n)
                    .progress(random.nextInt(101)).timestamp(now).build();
        }
        if (kind < 9) {
            return new MessageSentEvent(run + "msg-" + n, "a", "b", MessageType.BROADCAST,
                    TestClient.JSON.valueToTree("payload " + n), 10, now);
        }
        return MemoryOperationEvent.builder().operation(MemoryOperationType.STORE).namespace("conflation")
                .key(run + "key-" + n).value(TestClient.JSON.valueToTree(n)).latency(0.5).timestamp(now).build();
    }

    /** The {@code data} of the newest frame of each id, for one event type. */
    private static Map<String, JsonNode> latest(TestClient client, String type, String idField) {
        return latest(client, type, idField, "");
    }

    private static Map<String, JsonNode> latest(TestClient client, String type, String idField, String idPrefix) {
        Map<String, JsonNode> latest = new HashMap<>();
        for (JsonNode frame : client.framesOfType(type)) {
            String id = frame.path(idField).asString();
            if (id.startsWith(idPrefix)) {
                latest.put(id, frame.path("data"));
            }
        }
        return latest;
    }

    /** The seqs a client received, and those its notices say it never will. */
    private static Set<Long> accountedFor(TestClient client) {
        Set<Long> seqs = new HashSet<>(seqsOf(client));
        for (JsonNode notice : client.framesOfType("conflated")) {
            for (JsonNode range : notice.path("seqs")) {
                for (long seq = range.get(0).asLong(); seq <= range.get(1).asLong(); seq++) {
                    seqs.add(seq);
                }
            }
        }
        return seqs;
    }

    private static void awaitEvents(TestClient client, int count) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> client.events().size() >= count);
    }

    private static List<Long> seqsOf(TestClient client) {
        List<Long> seqs = new ArrayList<>();
        client.events().forEach(event -> seqs.add(event.path("seq").asLong()));
        return seqs;
    }
}
