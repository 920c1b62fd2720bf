package io.swarmcast.support;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls for tests, with the body read as JSON when it is JSON. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    public record Response(int status, String body) {
        public JsonNode json() {
            return TestClient.JSON.readTree(body);
        }
    }

    private Http() {
    }

    public static Response post(int port, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public static Response postJson(int port, String path, Object body) {
        return post(port, path, TestClient.JSON.writeValueAsString(body));
    }

    /** A request to this server with any method, headers and body, for tests of what the server refuses. */
    public static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    /** The whole answer, headers included. */
    public static HttpResponse<String> exchange(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Response get(int port, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build());
    }

    public static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
