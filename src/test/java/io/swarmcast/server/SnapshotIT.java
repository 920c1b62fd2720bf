package io.swarmcast.server;

import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.awaitSeq;
import static io.swarmcast.support.ProtocolFixtures.metrics;
import static io.swarmcast.support.ProtocolFixtures.publish;
import static io.swarmcast.support.ProtocolFixtures.seqs;
import static io.swarmcast.support.ProtocolFixtures.topology;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshots available today (docs/protocol.md section 4 step 2): the newest {@code topology:change} and the
 * newest {@code metrics:update}, sent with {@code "snapshot":true} right after {@code subscribed}.
 */
// The built-in metrics ticker is off here so the metrics snapshot is exactly the one these tests publish.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "swarmcast.metrics-enabled=false")
class SnapshotIT {

    @LocalServerPort
    int port;

    @Test
    void newestTopologyAndMetricsArriveAsSnapshotsRightAfterSubscribed() {
        String p = unique();
        int active = uniqueCount();
        publish(port, topology("mesh", p + "-old"), metrics(active - 1, 0));
        ObjectNode newestTopology = topology("hierarchical", p + "-queen", p + "-worker");
        publish(port, newestTopology, agent(p + "-agent", "busy"), metrics(active, 7));

        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.sendJson(Map.of("type", "subscribe", "channels", List.of("metrics", "topology")));
            client.awaitType("metrics:update");
            long marker = publish(port, topology("adaptive", p + "-live")).get(0);
            awaitSeq(client, marker);

            List<JsonNode> frames = client.frames();
            assertThat(frames).extracting(f -> f.path("type").asString())
                    .containsExactly("welcome", "subscribed", "topology:change", "metrics:update", "topology:change");
            JsonNode topologySnapshot = frames.get(2);
            assertThat(topologySnapshot.path("snapshot").asBoolean()).isTrue();
            assertThat(topologySnapshot.path("channel").asString()).isEqualTo("topology");
            assertThat(topologySnapshot.path("topology").asString()).isEqualTo("hierarchical");
            assertThat(topologySnapshot.path("nodes")).isEqualTo(newestTopology.path("nodes"));
            assertThat(topologySnapshot.path("edges")).isEqualTo(newestTopology.path("edges"));
            assertThat(topologySnapshot.path("data").path("nodes")).isEqualTo(newestTopology.path("nodes"));
            JsonNode metricsSnapshot = frames.get(3);
            assertThat(metricsSnapshot.path("snapshot").asBoolean()).isTrue();
            assertThat(metricsSnapshot.path("channel").asString()).isEqualTo("metrics");
            assertThat(metricsSnapshot.path("activeAgents").asInt()).isEqualTo(active);
            assertThat(metricsSnapshot.path("pendingTasks").asInt()).isEqualTo(7);
            assertThat(metricsSnapshot.path("data").path("activeAgents").asInt()).isEqualTo(active);
            JsonNode live = frames.get(4);
            assertThat(live.has("snapshot")).as("live events are not snapshots").isFalse();
            assertThat(live.path("seq").asLong()).isEqualTo(marker);
        }
    }

    @Test
    void snapshotFalseSuppressesTheSnapshot() {
        String p = unique();
        publish(port, topology("mesh", p + "-a", p + "-b"), metrics(uniqueCount(), 1));

        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.sendJson(Map.of("type", "subscribe", "channels", List.of("topology", "metrics"), "snapshot", false));
            client.awaitType("subscribed");
            long marker = publish(port, topology("adaptive", p + "-live")).get(0);
            awaitSeq(client, marker);

            assertThat(client.frames()).extracting(f -> f.path("type").asString())
                    .containsExactly("welcome", "subscribed", "topology:change");
            assertThat(client.frames()).noneMatch(f -> f.has("snapshot"));
        }
    }

    @Test
    void onlyNewlySubscribedChannelsGetASnapshot() {
        String p = unique();
        publish(port, topology("mesh", p + "-a"), metrics(uniqueCount(), 2));

        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.sendJson(Map.of("type", "subscribe", "channel", "topology"));
            client.awaitFrame(f -> f.path("snapshot").asBoolean());
            client.sendJson(Map.of("type", "subscribe", "channels", List.of("topology", "metrics")));
            client.awaitType("metrics:update");
            long marker = publish(port, topology("mesh", p + "-live")).get(0);
            awaitSeq(client, marker);

            assertThat(client.frames()).extracting(f -> f.path("type").asString() + (f.path("snapshot").asBoolean() ? "*" : ""))
                    .containsExactly("welcome", "subscribed", "topology:change*", "subscribed", "metrics:update*",
                            "topology:change");
        }
    }

    /**
     * Section 4's order on resume: subscribed, the snapshot, the missed events (a topology change among them,
     * now as the event it was, with its seq), then live events.
     */
    @Test
    void resumeSendsTheSnapshotBeforeTheMissedEvents() {
        String p = unique();
        int active = uniqueCount();
        try (TestClient first = TestClient.connectWelcomed(port)) {
            String epoch = first.awaitType("welcome").path("epoch").asString();
            first.sendJson(Map.of("type", "subscribe", "channel", "*", "snapshot", false));
            first.awaitType("subscribed");
            long seen = publish(port, agent(p + "-seen", "busy")).get(0);
            awaitSeq(first, seen);
            first.abort();

            // Nodes that are not the agents below, so the adopted topology does not follow their status changes.
            ObjectNode missedTopology = topology("hierarchical", p + "-node");
            List<Long> missed = publish(port, missedTopology, agent(p + "-missed", "idle"), metrics(active, 3));

            try (TestClient second = TestClient.connectWelcomed(port)) {
                second.sendJson(Map.of("type", "subscribe", "channel", "*", "sinceSeq", seen, "epoch", epoch));
                awaitSeq(second, missed.get(1));
                long live = publish(port, agent(p + "-live", "busy")).get(0);
                awaitSeq(second, live);

                // The agents channel's snapshot (every agent not stopped, this class's earlier ones too) comes
                // first, in channel order; set it aside to check the rest exactly.
                List<JsonNode> all = second.frames();
                List<String> kinds = all.stream()
                        .map(f -> f.path("type").asString() + (f.path("snapshot").asBoolean() ? "*" : "")).toList();
                int agentSnapshots = (int) kinds.stream().filter("agent:status*"::equals).count();
                assertThat(kinds.subList(2, 2 + agentSnapshots)).allMatch("agent:status*"::equals);
                assertThat(all.subList(2, 2 + agentSnapshots)).extracting(f -> f.path("agentId").asString())
                        .contains(p + "-seen", p + "-missed");
                List<JsonNode> frames = all.stream().filter(f -> !(f.path("snapshot").asBoolean()
                        && "agent:status".equals(f.path("type").asString()))).toList();
                assertThat(frames).extracting(f -> f.path("type").asString() + (f.path("snapshot").asBoolean() ? "*" : ""))
                        .containsExactly("welcome", "subscribed", "topology:change*", "metrics:update*",
                                "topology:change", "agent:status", "agent:status");
                assertThat(frames.get(1).path("recovered").asBoolean()).isTrue();
                assertThat(frames.get(2).path("nodes")).isEqualTo(missedTopology.path("nodes"));
                assertThat(frames.get(3).path("activeAgents").asInt()).isEqualTo(active);
                assertThat(seqs(frames)).containsExactly(missed.get(0), missed.get(1), live);
            }
        }
    }

    private static String unique() {
        return "snap-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static int uniqueCount() {
        return 10_000 + (int) (Math.random() * 1_000_000);
    }
}
