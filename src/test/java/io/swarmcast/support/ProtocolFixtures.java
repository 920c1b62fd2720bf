package io.swarmcast.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flat-form events (docs/protocol.md section 2) to post to {@code /api/events}, and small readers for the frames a
 * {@link TestClient} collected. Every builder gives the minimal valid event; tests add the fields they check.
 */
public final class ProtocolFixtures {

    private ProtocolFixtures() {
    }

    public static ObjectNode object() {
        return TestClient.JSON.createObjectNode();
    }

    public static ObjectNode agent(String agentId, String status) {
        return object().put("type", "agent:status").put("agentId", agentId).put("status", status);
    }

    public static ObjectNode task(String taskId, String status) {
        return object().put("type", "task:update").put("taskId", taskId).put("status", status);
    }

    public static ObjectNode message(String messageId, String payload) {
        return object().put("type", "message:sent").put("messageId", messageId).put("source", "agent-a")
                .put("target", "agent-b").put("messageType", "task").put("payload", payload);
    }

    public static ObjectNode memory(String namespace, String key) {
        return object().put("type", "memory:operation").put("operation", "store").put("namespace", namespace)
                .put("key", key).put("latency", 1.0);
    }

    public static ObjectNode topology(String topology, String... nodeIds) {
        ObjectNode event = object().put("type", "topology:change").put("topology", topology);
        ArrayNode nodes = event.putArray("nodes");
        for (String id : nodeIds) {
            nodes.addObject().put("id", id).put("name", id.toUpperCase()).put("type", "coder").put("status", "active");
        }
        ArrayNode edges = event.putArray("edges");
        for (int i = 1; i < nodeIds.length; i++) {
            edges.addObject().put("source", nodeIds[0]).put("target", nodeIds[i]).put("health", "healthy");
        }
        return event;
    }

    public static ObjectNode metrics(int activeAgents, int pendingTasks) {
        return object().put("type", "metrics:update").put("activeAgents", activeAgents).put("pendingTasks", pendingTasks)
                .put("messagesPerSecond", 1.5).put("memoryOpsPerSecond", 0.25);
    }

    /** One event of every durable channel but topology, cycling with {@code i}, so runs of them span channels. */
    public static ObjectNode mixed(String prefix, int i) {
        return switch (i % 4) {
            case 0 -> agent(prefix + "-agent-" + i, "busy");
            case 1 -> task(prefix + "-task-" + i, "running");
            case 2 -> message(prefix + "-msg-" + i, "hello " + i);
            default -> memory(prefix, "key-" + i);
        };
    }

    /** Posts the events as one batch to {@code /api/events}, expects 202, and returns the seqs the server gave them. */
    public static List<Long> publish(int port, JsonNode... events) {
        return publish(port, List.of(events));
    }

    public static List<Long> publish(int port, Collection<? extends JsonNode> events) {
        ArrayNode batch = TestClient.JSON.createArrayNode();
        events.forEach(batch::add);
        Http.Response response = Http.post(port, "/api/events", batch.toString());
        assertThat(response.status()).as("POST /api/events: %s", response.body()).isEqualTo(202);
        JsonNode body = response.json();
        assertThat(body.path("accepted").asInt()).isEqualTo(events.size());
        List<Long> seqs = new ArrayList<>();
        body.path("seqs").forEach(seq -> seqs.add(seq.asLong()));
        assertThat(seqs).hasSize(events.size());
        return seqs;
    }

    /** The seqs of the event frames (those with a seq) among the frames, in arrival order. */
    public static List<Long> seqs(Collection<JsonNode> frames) {
        return frames.stream().filter(f -> f.has("seq") && f.has("channel")).map(f -> f.path("seq").asLong())
                .collect(Collectors.toList());
    }

    /** The event frame with the given seq, waiting for it to arrive. */
    public static JsonNode awaitSeq(TestClient client, long seq) {
        return client.awaitFrame(f -> f.has("channel") && f.path("seq").asLong() == seq);
    }

    /** The index of the first frame matching, or -1. */
    public static int indexOf(List<JsonNode> frames, Predicate<JsonNode> matching) {
        for (int i = 0; i < frames.size(); i++) {
            if (matching.test(frames.get(i))) {
                return i;
            }
        }
        return -1;
    }

    public static Set<String> names(JsonNode object) {
        return new TreeSet<>(object.propertyNames());
    }

    public static Map<String, Object> subscribeRequest(String channel) {
        return Map.of("type", "subscribe", "channel", channel);
    }
}
