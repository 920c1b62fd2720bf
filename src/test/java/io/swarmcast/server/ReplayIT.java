package io.swarmcast.server;

import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.awaitSeq;
import static io.swarmcast.support.ProtocolFixtures.memory;
import static io.swarmcast.support.ProtocolFixtures.message;
import static io.swarmcast.support.ProtocolFixtures.metrics;
import static io.swarmcast.support.ProtocolFixtures.mixed;
import static io.swarmcast.support.ProtocolFixtures.publish;
import static io.swarmcast.support.ProtocolFixtures.seqs;
import static io.swarmcast.support.ProtocolFixtures.task;
import static io.swarmcast.support.ProtocolFixtures.topology;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sequence numbers and the {@code replay} request (docs/protocol.md sections 2 and 4), in a context whose history
 * holds only {@value #HISTORY} events so that overrunning it is cheap. Nothing else publishes in this context
 * ({@link HistoryGapIT} shares it, running at other times), so the seqs a test publishes are the newest ones.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"swarmcast.history-size=" + ReplayIT.HISTORY, "swarmcast.server-id=" + ReplayIT.SERVER_ID})
class ReplayIT {

    static final int HISTORY = 50;
    static final String SERVER_ID = "small-history";
    private static final List<String> DURABLE = List.of("agents", "tasks", "messages", "memory", "topology");

    @LocalServerPort
    int port;

    @Test
    void seqStrictlyIncreasesAcrossChannelsAndIdIsEvtSeq() {
        try (TestClient client = everything()) {
            List<Long> published = new ArrayList<>();
            published.addAll(publish(port, agent("s-a", "busy"), task("s-t", "pending"), metrics(1, 1), message("s-m", "x")));
            published.addAll(publish(port, memory("s", "k"), topology("mesh", "s-n")));
            published.addAll(publish(port, task("s-t", "running")));
            published.addAll(publish(port, agent("s-a", "idle"), metrics(2, 2), memory("s", "k2")));
            List<Long> durable = published.stream().filter(seq -> seq > 0).toList();
            assertThat(published).filteredOn(seq -> seq == 0).hasSize(2);
            for (int i = 1; i < durable.size(); i++) {
                assertThat(durable.get(i)).as("seq strictly increasing over channels and requests").isEqualTo(durable.get(i - 1) + 1);
            }

            awaitSeq(client, durable.get(durable.size() - 1));
            List<JsonNode> events = client.events();
            assertThat(seqs(events)).containsExactlyElementsOf(durable);
            assertThat(events).extracting(f -> f.path("channel").asString())
                    .containsExactly("agents", "tasks", "messages", "memory", "topology", "tasks", "agents", "memory");
            assertThat(events).allSatisfy(f -> assertThat(f.path("id").asString()).isEqualTo("evt-" + f.path("seq").asLong()));

            try (TestClient late = TestClient.connectWelcomed(port)) {
                JsonNode welcome = late.awaitType("welcome");
                assertThat(welcome.path("seq").asLong()).as("welcome.seq is the newest seq held").isEqualTo(durable.get(durable.size() - 1));
                assertThat(welcome.path("epoch").asString()).isEqualTo(client.awaitType("welcome").path("epoch").asString());
                assertThat(welcome.path("serverId").asString()).isEqualTo(SERVER_ID);
            }
        }
    }

    @Test
    void replayBySinceSeqIsExclusiveInOrderAndEqualToTheLiveFrames() {
        try (TestClient client = everything()) {
            List<Long> seqs = publish(port, IntStream.range(0, 6).mapToObj(i -> mixed("x", i)).toList());
            awaitSeq(client, seqs.get(5));

            client.sendJson(Map.of("type", "replay", "sinceSeq", seqs.get(1), "channels", DURABLE));
            JsonNode replay = client.awaitType("replay");

            assertThat(seqs(list(replay.path("events")))).containsExactlyElementsOf(seqs.subList(2, 6));
            assertThat(list(replay.path("events"))).as("a replayed event is the frame that went out live")
                    .containsExactlyElementsOf(client.events().subList(client.events().size() - 4, client.events().size()));
            assertThat(replay.path("count").asInt()).isEqualTo(4);
            assertThat(replay.path("fromSeq").asLong()).isEqualTo(seqs.get(2));
            assertThat(replay.path("toSeq").asLong()).isEqualTo(seqs.get(5));
            assertThat(replay.path("complete").asBoolean()).isTrue();
            assertThat(replay.path("epoch").asString()).isEqualTo(client.awaitType("welcome").path("epoch").asString());
            assertThat(replay.path("timestamp").isNumber()).isTrue();

            client.sendJson(Map.of("type", "replay", "sinceSeq", seqs.get(5)));
            JsonNode empty = client.awaitType("replay", 2);
            assertThat(empty.path("events").size()).isZero();
            assertThat(empty.path("count").asInt()).isZero();
            assertThat(empty.path("complete").asBoolean()).isTrue();
        }
    }

    /** Timestamps do not follow seq order here, so a replay that filtered by position would be caught. */
    @Test
    void replayBySinceIsInclusiveOnTheTimestampAndInSeqOrder() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            long t0 = System.currentTimeMillis();
            int[] offsets = {5, 1, 8, 3, 6, 0, 9, 2, 7, 4};
            List<ObjectNode> events = new ArrayList<>();
            for (int i = 0; i < offsets.length; i++) {
                events.add(mixed("since", i).put("timestamp", t0 + offsets[i]));
            }
            List<Long> seqs = publish(port, events);

            client.sendJson(Map.of("type", "replay", "since", t0 + 5));
            JsonNode replay = client.awaitType("replay");

            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < offsets.length; i++) {
                if (offsets[i] >= 5) {
                    expected.add(seqs.get(i));
                }
            }
            assertThat(seqs(list(replay.path("events")))).containsExactlyElementsOf(expected);
            assertThat(list(replay.path("events"))).allSatisfy(f -> assertThat(f.path("timestamp").asLong()).isGreaterThanOrEqualTo(t0 + 5));
            assertThat(replay.path("count").asInt()).isEqualTo(5);
            assertThat(replay.path("fromSeq").asLong()).isEqualTo(expected.get(0));
            assertThat(replay.path("toSeq").asLong()).isEqualTo(expected.get(4));
            assertThat(replay.path("complete").asBoolean()).isTrue();

            client.sendJson(Map.of("type", "replay", "since", t0 + 9, "channels", DURABLE));
            JsonNode last = client.awaitType("replay", 2);
            assertThat(seqs(list(last.path("events")))).containsExactly(seqs.get(6));
            assertThat(last.path("complete").asBoolean()).isTrue();
        }
    }

    @Test
    void replayRespectsChannelsAndLimitAndSaysWhenTheLimitCutIt() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            List<ObjectNode> events = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                events.add(mixed("lim", i));
            }
            events.add(metrics(3, 3));
            long base = publish(port, events).get(0) - 1;
            // mixed(i) cycles agents, tasks, messages, memory: agents and tasks are i % 4 == 0 and 1.
            List<Long> agentsAndTasks = List.of(base + 1, base + 2, base + 5, base + 6, base + 9, base + 10);

            client.sendJson(Map.of("type", "replay", "sinceSeq", base, "channels", List.of("tasks", "agents", "metrics")));
            JsonNode filtered = client.awaitType("replay", 1);
            assertThat(seqs(list(filtered.path("events")))).containsExactlyElementsOf(agentsAndTasks);
            assertThat(list(filtered.path("events"))).extracting(f -> f.path("type").asString())
                    .as("metrics are never stored or replayed").doesNotContain("metrics:update");
            assertThat(filtered.path("complete").asBoolean()).isTrue();

            client.sendJson(Map.of("type", "replay", "sinceSeq", base, "channels", List.of("agents", "tasks"), "limit", 4));
            JsonNode cut = client.awaitType("replay", 2);
            assertThat(seqs(list(cut.path("events")))).containsExactlyElementsOf(agentsAndTasks.subList(0, 4));
            assertThat(cut.path("count").asInt()).isEqualTo(4);
            assertThat(cut.path("fromSeq").asLong()).isEqualTo(base + 1);
            assertThat(cut.path("toSeq").asLong()).isEqualTo(base + 6);
            assertThat(cut.path("complete").asBoolean()).as("the limit cut the answer").isFalse();

            client.sendJson(Map.of("type", "replay", "sinceSeq", base, "channels", List.of("agents", "tasks"), "limit", 6));
            JsonNode exact = client.awaitType("replay", 3);
            assertThat(seqs(list(exact.path("events")))).containsExactlyElementsOf(agentsAndTasks);
            assertThat(exact.path("complete").asBoolean()).as("a limit that fits everything cuts nothing").isTrue();

            client.sendJson(Map.of("type", "replay", "sinceSeq", base, "channel", "messages", "limit", 1));
            JsonNode single = client.awaitType("replay", 4);
            assertThat(seqs(list(single.path("events")))).containsExactly(base + 3);
            assertThat(single.path("complete").asBoolean()).isFalse();
        }
    }

    @Test
    void replayWithoutChannelsUsesTheSubscriptionsOrEveryDurableChannelAndChangesNoSubscription() {
        try (TestClient subscribed = TestClient.connectWelcomed(port);
             TestClient unsubscribed = TestClient.connectWelcomed(port)) {
            subscribed.sendJson(Map.of("type", "subscribe", "channels", List.of("tasks", "memory"), "snapshot", false));
            subscribed.awaitType("subscribed");
            List<ObjectNode> events = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                events.add(mixed("subs", i));
            }
            events.add(4, topology("mesh", "subs-node"));
            events.add(metrics(5, 5));
            List<Long> seqs = publish(port, events);
            long base = seqs.get(0) - 1;
            awaitSeq(subscribed, seqs.get(8));

            subscribed.sendJson(Map.of("type", "replay", "sinceSeq", base));
            JsonNode own = subscribed.awaitType("replay");
            assertThat(list(own.path("events"))).extracting(f -> f.path("channel").asString())
                    .containsExactly("tasks", "memory", "tasks", "memory");
            assertThat(list(own.path("events"))).as("the same frames it received live")
                    .containsExactlyElementsOf(subscribed.events().subList(subscribed.events().size() - 4, subscribed.events().size()));

            unsubscribed.sendJson(Map.of("type", "replay", "sinceSeq", base));
            JsonNode all = unsubscribed.awaitType("replay");
            assertThat(seqs(list(all.path("events")))).containsExactlyElementsOf(seqs.subList(0, 9));
            assertThat(all.path("complete").asBoolean()).isTrue();

            // A replay of other channels subscribes to nothing: live events go by the old subscriptions.
            subscribed.sendJson(Map.of("type", "replay", "sinceSeq", base, "channels", List.of("agents")));
            subscribed.awaitType("replay", 2);
            List<Long> after = publish(port, agent("subs-after", "busy"), task("subs-after", "pending"));
            awaitSeq(subscribed, after.get(1));
            assertThat(subscribed.events()).noneMatch(f -> f.path("seq").asLong() == after.get(0));
            assertThat(unsubscribed.events()).as("replay frames are inside the replay answer only").isEmpty();
        }
    }

    @Test
    void replayAfterTheHistoryWasOverrunSaysIncomplete() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            long t0 = System.currentTimeMillis() - 60_000;
            List<ObjectNode> events = new ArrayList<>();
            for (int i = 0; i < HISTORY + 10; i++) {
                events.add(agent("overrun-" + i, "busy").put("timestamp", t0 + i));
            }
            List<Long> seqs = publish(port, events);
            long newest = seqs.get(seqs.size() - 1);
            long oldestHeld = newest - HISTORY + 1;
            List<Long> held = seqs.subList(10, seqs.size());
            assertThat(held.get(0)).isEqualTo(oldestHeld);

            client.sendJson(Map.of("type", "replay", "sinceSeq", seqs.get(0) - 1));
            JsonNode overrun = client.awaitType("replay", 1);
            assertThat(overrun.path("complete").asBoolean()).as("events after sinceSeq were dropped").isFalse();
            assertThat(seqs(list(overrun.path("events")))).containsExactlyElementsOf(held);
            assertThat(overrun.path("fromSeq").asLong()).isEqualTo(oldestHeld);
            assertThat(overrun.path("toSeq").asLong()).isEqualTo(newest);

            client.sendJson(Map.of("type", "replay", "sinceSeq", oldestHeld - 2));
            JsonNode oneShort = client.awaitType("replay", 2);
            assertThat(oneShort.path("complete").asBoolean()).as("seq %d is gone", oldestHeld - 1).isFalse();

            client.sendJson(Map.of("type", "replay", "sinceSeq", oldestHeld - 1));
            JsonNode reaches = client.awaitType("replay", 3);
            assertThat(reaches.path("complete").asBoolean()).isTrue();
            assertThat(seqs(list(reaches.path("events")))).containsExactlyElementsOf(held);

            client.sendJson(Map.of("type", "replay", "since", t0 + 5));
            JsonNode byTime = client.awaitType("replay", 4);
            assertThat(byTime.path("complete").asBoolean()).as("events at or after since were dropped").isFalse();
            assertThat(seqs(list(byTime.path("events")))).containsExactlyElementsOf(held);
        }
    }

    /** A client subscribed to everything, without snapshots, that has seen its welcome. */
    private TestClient everything() {
        TestClient client = TestClient.connectWelcomed(port);
        client.sendJson(Map.of("type", "subscribe", "channel", "*", "snapshot", false));
        client.awaitType("subscribed");
        return client;
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }
}
