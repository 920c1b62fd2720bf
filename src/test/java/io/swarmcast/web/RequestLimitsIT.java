package io.swarmcast.web;

import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request body is bounded before it is read whole (commands and memory values by
 * {@code limits.max-event-size}, ingest by {@code limits.max-body-size}), every event let into history by
 * {@code limits.max-event-size}; and the errors Spring itself raises (405, 406, 415, 404, a bad parameter)
 * answer in the one JSON error body without a stack trace in the log. Run with small limits so the tests
 * send little.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "swarmcast.limits.max-event-size=8KB", "swarmcast.limits.max-body-size=64KB", "swarmcast.compat-enabled=false"})
@ExtendWith(OutputCaptureExtension.class)
class RequestLimitsIT {

    private static final int EVENT_LIMIT = 8 * 1024;

    @LocalServerPort
    int port;

    private static String text(int bytes) {
        return "x".repeat(bytes);
    }

    private static void assertTooLarge(Http.Response response, String setting) {
        assertThat(response.status()).as(response.body()).isEqualTo(413);
        JsonNode body = response.json();
        assertThat(body.path("code").asString()).isEqualTo("too_large");
        assertThat(body.path("error").asString()).contains(setting);
    }

    private Http.Response chunked(String method, String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return Http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .version(HttpClient.Version.HTTP_1_1)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build());
    }

    @Test
    void memoryValueOverTheEventLimitIs413AndNotStored() {
        String key = Rest.unique("big");
        String value = "\"" + text(EVENT_LIMIT) + "\"";
        assertTooLarge(Rest.put(port, "/api/memory/limits/" + key, value), "max-event-size");
        assertTooLarge(chunked("PUT", "/api/memory/limits/" + key, value), "max-event-size");
        assertThat(Http.get(port, "/api/memory/limits/" + key).status()).isEqualTo(404);

        Rest.expect(Rest.put(port, "/api/memory/limits/" + key, "\"" + text(EVENT_LIMIT - 100) + "\""), 201);
    }

    @Test
    void commandBodiesOverTheEventLimitAre413() {
        String big = text(EVENT_LIMIT);
        assertTooLarge(Http.post(port, "/api/agents", "{\"name\":\"" + big + "\",\"type\":\"coder\"}"), "max-event-size");
        assertTooLarge(chunked("POST", "/api/agents", "{\"name\":\"" + big + "\",\"type\":\"coder\"}"), "max-event-size");
        assertTooLarge(Http.post(port, "/api/tasks", "{\"description\":\"" + big + "\"}"), "max-event-size");
        assertTooLarge(Http.post(port, "/api/messages", "{\"source\":\"a\",\"type\":\"broadcast\",\"payload\":\"" + big + "\"}"),
                "max-event-size");
        assertTooLarge(chunked("POST", "/api/swarm/init", "{\"agents\":[{\"type\":\"" + big + "\"}]}"), "max-event-size");
        Rest.spawnAgent(port, Rest.unique("agent"), "Agent", "coder");
    }

    @Test
    void ingestedEventOverTheEventLimitIs413NamingItsIndexAndNothingIsAccepted() {
        long before = Rest.newestSeq(port);
        String small = "{\"type\":\"agent:status\",\"agentId\":\"" + Rest.unique("a") + "\",\"status\":\"idle\"}";
        String large = "{\"type\":\"message:sent\",\"source\":\"a\",\"target\":\"b\",\"messageType\":\"task\",\"payload\":\""
                + text(EVENT_LIMIT) + "\"}";

        Http.Response single = Http.post(port, "/api/events", large);
        assertTooLarge(single, "max-event-size");
        assertThat(single.json().path("index").asInt()).isZero();

        Http.Response batch = Http.post(port, "/api/events", "[" + small + "," + large + "]");
        assertTooLarge(batch, "max-event-size");
        assertThat(batch.json().path("index").asInt()).isEqualTo(1);

        Http.Response passThrough = Http.post(port, "/event",
                "{\"channel\":\"agents\",\"type\":\"agent:custom\",\"event\":{\"blob\":\"" + text(EVENT_LIMIT) + "\"}}");
        assertTooLarge(passThrough, "max-event-size");
        assertThat(passThrough.json().path("field").asString()).isEqualTo("event");

        assertThat(Rest.newestSeq(port)).as("nothing of a refused request entered the log").isEqualTo(before);

        // A batch of many small events may be far larger than one event.
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 200; i++) {
            many.append(i == 0 ? "" : ",").append(small);
        }
        Rest.expect(Http.post(port, "/api/events", many.append("]").toString()), 202);
    }

    @Test
    void ingestBodyOverTheBodyLimitIs413() {
        String huge = "[" + "{\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\"idle\"},".repeat(2000) + "{}]";
        assertTooLarge(Http.post(port, "/api/events", huge), "max-body-size");
        assertTooLarge(chunked("POST", "/api/events", huge), "max-body-size");
    }

    @Test
    void springsOwnClientErrorsAnswerInTheJsonBodyWithoutAStackTrace(CapturedOutput output) {
        Http.Response wrongMethod = Http.get(port, "/api/events");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().path("code").asString()).isEqualTo("method_not_allowed");

        Http.Response wrongType = Http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/agents"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("name=x")).build());
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.json().path("code").asString()).isEqualTo("unsupported_media_type");

        Http.Response notAcceptable = Http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/agents"))
                .header("Accept", "text/csv").GET().build());
        assertThat(notAcceptable.status()).isEqualTo(406);
        assertThat(notAcceptable.json().path("code").asString()).isEqualTo("not_acceptable");

        Http.Response noSuchThing = Http.get(port, "/api/no-such-thing");
        assertThat(noSuchThing.status()).isEqualTo(404);
        assertThat(noSuchThing.json().path("code").asString()).isEqualTo("not_found");

        Http.Response badParameter = Http.get(port, "/api/tasks?all=perhaps");
        assertThat(badParameter.status()).isEqualTo(400);
        assertThat(badParameter.json().path("field").asString()).isEqualTo("all");

        Http.Response notJson = Http.post(port, "/api/agents", "{\"name\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().path("code").asString()).isEqualTo("bad_request");

        for (String line : List.of("\tat org.springframework", "ERROR")) {
            assertThat(output.getAll()).as("no stack trace or ERROR line for a client's mistake").doesNotContain(line);
        }
    }

    @Test
    void aWellBehavedClientIsUnaffected() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.subscribe("agents");
            client.awaitType("subscribed");
            assertTooLarge(Http.post(port, "/api/agents", "{\"name\":\"" + text(EVENT_LIMIT) + "\",\"type\":\"coder\"}"),
                    "max-event-size");
            String id = Rest.spawnAgent(port, Rest.unique("agent"), "Agent", "coder");
            client.awaitFrame(f -> id.equals(f.path("agentId").asString()));
        }
    }
}
