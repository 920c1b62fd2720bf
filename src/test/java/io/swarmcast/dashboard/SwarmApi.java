package io.swarmcast.dashboard;

import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST commands the browser tests drive the swarm with; each checks that the server took it. */
final class SwarmApi {

    private final int port;

    SwarmApi(int port) {
        this.port = port;
    }

    /** Starts a swarm of the given agents ({@code name -> type}); returns the topology the server built. */
    JsonNode initSwarm(String topology, Map<String, String> agents) {
        List<Map<String, String>> specs = new ArrayList<>();
        agents.forEach((name, type) -> specs.add(Map.of("name", name, "type", type)));
        return ok(Http.postJson(port, "/api/swarm/init", Map.of("topology", topology, "agents", specs)));
    }

    JsonNode changeTopology(String topology) {
        return ok(send("PUT", "/api/swarm/topology", Map.of("topology", topology)));
    }

    JsonNode swarm() {
        return ok(Http.get(port, "/api/swarm"));
    }

    JsonNode agents() {
        return ok(Http.get(port, "/api/agents"));
    }

    JsonNode tasks() {
        return ok(Http.get(port, "/api/tasks"));
    }

    JsonNode spawn(String id, String name, String type) {
        return ok(Http.postJson(port, "/api/agents", Map.of("id", id, "name", name, "type", type)));
    }

    JsonNode setStatus(String agentId, String status) {
        return ok(send("PATCH", "/api/agents/" + agentId, Map.of("status", status)));
    }

    JsonNode createTask(String id, String description) {
        return ok(Http.postJson(port, "/api/tasks", Map.of("id", id, "description", description, "type", "code",
                "priority", "high")));
    }

    JsonNode assign(String taskId, String agentId) {
        return ok(Http.postJson(port, "/api/tasks/" + taskId + "/assign", Map.of("agentId", agentId)));
    }

    JsonNode start(String taskId) {
        return ok(Http.post(port, "/api/tasks/" + taskId + "/start", "{}"));
    }

    JsonNode progress(String taskId, int progress) {
        return ok(Http.postJson(port, "/api/tasks/" + taskId + "/progress", Map.of("progress", progress)));
    }

    JsonNode complete(String taskId) {
        return ok(Http.post(port, "/api/tasks/" + taskId + "/complete", "{}"));
    }

    JsonNode fail(String taskId, String error) {
        return ok(Http.postJson(port, "/api/tasks/" + taskId + "/fail", Map.of("error", error)));
    }

    JsonNode message(String source, String target, String type, Object payload) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", source);
        if (target != null) {
            body.put("target", target);
        }
        body.put("type", type);
        body.put("payload", payload);
        return ok(Http.postJson(port, "/api/messages", body));
    }

    JsonNode memoryStore(String namespace, String key, Object value, String agentId) {
        return ok(send("PUT", "/api/memory/" + namespace + "/" + key + "?agentId=" + encode(agentId), value));
    }

    JsonNode memoryRetrieve(String namespace, String key, String agentId) {
        return ok(Http.get(port, "/api/memory/" + namespace + "/" + key + "?agentId=" + encode(agentId)));
    }

    JsonNode memorySearch(String namespace, String query, String agentId) {
        return ok(Http.get(port, "/api/memory/" + namespace + "?q=" + encode(query) + "&agentId=" + encode(agentId)));
    }

    /** Typed events through {@code POST /api/events}, all accepted at once; returns their seqs. */
    List<Long> ingest(List<Map<String, Object>> events) {
        JsonNode answer = ok(Http.postJson(port, "/api/events", events));
        List<Long> seqs = new ArrayList<>();
        answer.path("seqs").forEach(seq -> seqs.add(seq.asLong()));
        return seqs;
    }

    private Http.Response send(String method, String path, Object body) {
        return Http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(TestClient.JSON.writeValueAsString(body)))
                .build());
    }

    private static JsonNode ok(Http.Response response) {
        assertThat(response.status()).as("HTTP status of %s", response.body()).isBetween(200, 299);
        return response.json();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
