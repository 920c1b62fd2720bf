package io.swarmcast.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;

/**
 * The domain command APIs for tests: the verbs {@link Http} lacks (PUT, PATCH, DELETE), JSON bodies built
 * inline, and the small steps many tests take (spawn an agent, create a task, read the log's newest seq).
 */
public final class Rest {

    private Rest() {
    }

    /** A fresh id with a readable prefix, so tests sharing a context never collide. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static ObjectNode object() {
        return TestClient.JSON.createObjectNode();
    }

    /** A JSON object from alternating names and values. */
    public static ObjectNode object(Object... namesAndValues) {
        ObjectNode node = object();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            node.set((String) namesAndValues[i], TestClient.JSON.valueToTree(namesAndValues[i + 1]));
        }
        return node;
    }

    public static Http.Response post(int port, String path, JsonNode body) {
        return Http.post(port, path, body.toString());
    }

    public static Http.Response put(int port, String path, String body) {
        return Http.send(request(port, path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public static Http.Response putEmpty(int port, String path) {
        return Http.send(request(port, path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
    }

    public static Http.Response patch(int port, String path, JsonNode body) {
        return Http.send(request(port, path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    public static Http.Response delete(int port, String path) {
        return Http.send(request(port, path).DELETE().build());
    }

    /** Spawns an agent (status active) and returns its id. */
    public static String spawnAgent(int port, String id, String name, String type) {
        Http.Response response = post(port, "/api/agents", object("id", id, "name", name, "type", type));
        expect(response, 201);
        return response.json().path("id").asString();
    }

    /** Creates a pending task and returns its id. */
    public static String createTask(int port, String id, String description) {
        Http.Response response = post(port, "/api/tasks", object("id", id, "description", description));
        expect(response, 201);
        return response.json().path("id").asString();
    }

    /** Runs a lifecycle command ({@code assign}, {@code start}, ...) on a task, expecting 200. */
    public static JsonNode taskCommand(int port, String taskId, String command, JsonNode body) {
        Http.Response response = post(port, "/api/tasks/" + taskId + "/" + command, body);
        expect(response, 200);
        return response.json();
    }

    /** The newest seq the event log holds, from {@code GET /api/state}. */
    public static long newestSeq(int port) {
        Http.Response response = Http.get(port, "/api/state");
        expect(response, 200);
        return response.json().path("seq").asLong();
    }

    public static Http.Response expect(Http.Response response, int status) {
        if (response.status() != status) {
            throw new AssertionError("expected HTTP " + status + " but got " + response.status() + ": " + response.body());
        }
        return response;
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }
}
