package io.swarmcast.ingest;

import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/** Helpers the ingest integration tests share: unique ids, chunked posts, and reading what a client got. */
final class Ingest {

    private Ingest() {
    }

    /** An id no other test uses, so tests sharing one server (and one event log) never see each other's events. */
    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Posts with {@code Transfer-Encoding: chunked}: the body's length is not known up front, so no Content-Length is sent. */
    static Http.Response postChunked(int port, String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return Http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .version(HttpClient.Version.HTTP_1_1)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build());
    }

    /** Event frames the client received whose flat fields or data mention {@code id} anywhere, in arrival order. */
    static List<JsonNode> eventsAbout(TestClient client, String id) {
        return client.events().stream().filter(mentions(id)).toList();
    }

    static Predicate<JsonNode> mentions(String id) {
        return frame -> frame.toString().contains("\"" + id + "\"");
    }

    /** Waits for the client to receive the event frame with this seq. */
    static JsonNode awaitSeq(TestClient client, long seq) {
        return client.awaitFrame(frame -> frame.path("seq").asLong() == seq && frame.has("channel"));
    }

    static List<Long> seqs(Http.Response accepted) {
        return accepted.json().path("seqs").valueStream().map(JsonNode::asLong).toList();
    }
}
