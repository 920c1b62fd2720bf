package io.swarmcast.server;

import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad frame a client can send gets an {@code error} frame with the code of docs/protocol.md section 2,
 * and the connection goes on working: a ping still gets its pong, a subscribe still subscribes and live
 * events still arrive. A refused request changes nothing (no half-applied subscription).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ErrorFramesIT {

    private static final List<String> ALL_CHANNELS = List.of("agents", "tasks", "messages", "memory", "topology", "metrics");

    @LocalServerPort
    int port;

    @Test
    void binaryFrameIsRefusedWithBinaryUnsupported() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.sendBinary("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));

            JsonNode error = client.awaitType("error");
            assertError(error, "binary_unsupported");
            assertThat(client.framesOfType("pong")).as("a binary ping is not answered as a ping").isEmpty();
            assertStillUsable(client);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"ping\"", "not json at all", "{'type':'ping'}", "[{\"type\":\"ping\"}]", "42", "\"ping\""})
    void frameThatIsNotAJsonObjectIsRefusedWithInvalidJson(String frame) {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.send(frame);

            assertError(client.awaitType("error"), "invalid_json");
            assertStillUsable(client);
        }
    }

    @Test
    void unknownTypeIsRefusedWithUnknownTypeNamingIt() {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.send("{\"type\":\"subscrbe\",\"channel\":\"agents\"}");

            JsonNode error = client.awaitType("error");
            assertError(error, "unknown_type");
            assertThat(error.path("message").asString()).contains("subscrbe");
            assertThat(client.framesOfType("subscribed")).isEmpty();
            assertStillUsable(client);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"subscribe\",\"channel\":\"agent\"}",
            "{\"type\":\"subscribe\",\"channels\":[\"tasks\",\"agent\"]}",
            "{\"type\":\"unsubscribe\",\"channel\":\"agent\"}",
            "{\"type\":\"replay\",\"sinceSeq\":0,\"channels\":[\"agent\"]}"})
    void unknownChannelIsRefusedWithInvalidChannelListingTheAllowedOnes(String frame) {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.send(frame);

            JsonNode error = client.awaitType("error");
            assertError(error, "invalid_channel");
            String message = error.path("message").asString();
            assertThat(message).contains("'agent'");
            for (String channel : ALL_CHANNELS) {
                assertThat(message).contains(channel);
            }
            assertThat(client.framesOfType("subscribed")).as("nothing of a refused subscribe is applied").isEmpty();
            assertThat(client.framesOfType("replay")).isEmpty();
            assertStillUsable(client);
        }
    }

    static Stream<Arguments> wrongFields() {
        return Stream.of(
                Arguments.of("{\"type\":\"subscribe\",\"channels\":\"agents\"}", "channels"),
                Arguments.of("{\"type\":\"subscribe\",\"channels\":[\"agents\",7]}", "channels"),
                Arguments.of("{\"type\":\"subscribe\",\"channel\":[\"agents\"]}", "channel"),
                Arguments.of("{\"type\":\"subscribe\"}", "channel"),
                Arguments.of("{\"type\":\"subscribe\",\"channel\":\"agents\",\"sinceSeq\":\"5\"}", "sinceSeq"),
                Arguments.of("{\"type\":\"subscribe\",\"channel\":\"agents\",\"sinceSeq\":-1}", "sinceSeq"),
                Arguments.of("{\"type\":\"subscribe\",\"channel\":\"agents\",\"sinceSeq\":1.5}", "sinceSeq"),
                Arguments.of("{\"type\":\"subscribe\",\"channel\":\"agents\",\"epoch\":5}", "epoch"),
                Arguments.of("{\"type\":\"subscribe\",\"channel\":\"agents\",\"snapshot\":\"no\"}", "snapshot"),
                Arguments.of("{\"type\":\"unsubscribe\",\"channels\":{\"agents\":true}}", "channels"),
                Arguments.of("{\"type\":\"replay\",\"sinceSeq\":0,\"limit\":0}", "limit"),
                Arguments.of("{\"type\":\"replay\",\"sinceSeq\":0,\"limit\":\"10\"}", "limit"),
                Arguments.of("{\"type\":\"replay\",\"since\":\"yesterday\"}", "since"),
                Arguments.of("{\"type\":\"replay\"}", "since"),
                Arguments.of("{\"type\":\"replay\",\"since\":0,\"sinceSeq\":0}", "since"),
                Arguments.of("{\"channel\":\"agents\"}", "type"),
                Arguments.of("{\"type\":7}", "type"));
    }

    @ParameterizedTest
    @MethodSource("wrongFields")
    void wrongFieldIsRefusedWithInvalidFieldNamingIt(String frame, String field) {
        try (TestClient client = TestClient.connectWelcomed(port)) {
            client.send(frame);

            JsonNode error = client.awaitType("error");
            assertError(error, "invalid_field");
            assertThat(error.path("field").asString()).isEqualTo(field);
            assertThat(error.path("message").asString()).contains(field);
            assertThat(client.framesOfType("subscribed")).isEmpty();
            assertThat(client.framesOfType("unsubscribed")).isEmpty();
            assertThat(client.framesOfType("replay")).isEmpty();
            assertStillUsable(client);
        }
    }

    @Test
    void manyBadFramesInARowEachGetTheirOwnErrorAndTheConnectionStaysOpen() {
        List<String> frames = List.of("nope", "{\"type\":\"dance\"}", "{\"type\":\"subscribe\",\"channel\":\"x\"}",
                "{\"type\":\"replay\"}", "[]");
        List<String> expected = List.of("invalid_json", "unknown_type", "invalid_channel", "invalid_field", "invalid_json");
        try (TestClient client = TestClient.connectWelcomed(port)) {
            for (String frame : frames) {
                client.send(frame);
            }
            client.sendBinary(new byte[] {1, 2, 3});

            client.awaitType("error", frames.size() + 1);
            List<String> codes = new ArrayList<>();
            client.framesOfType("error").forEach(error -> codes.add(error.path("code").asString()));
            List<String> expectedWithBinary = new ArrayList<>(expected);
            expectedWithBinary.add("binary_unsupported");
            assertThat(codes).as("one error per bad frame, in order").containsExactlyElementsOf(expectedWithBinary);
            assertStillUsable(client);
        }
    }

    private static void assertError(JsonNode error, String code) {
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(error.path("timestamp").isIntegralNumber()).as("error frames carry a timestamp: %s", error).isTrue();
    }

    /** Ping gets pong, a subscribe is answered with exactly the asked channel, and a live event then arrives. */
    private void assertStillUsable(TestClient client) {
        int pongs = client.framesOfType("pong").size();
        client.send("{\"type\":\"ping\"}");
        client.awaitType("pong", pongs + 1);

        client.send("{\"type\":\"subscribe\",\"channel\":\"agents\"}");
        JsonNode subscribed = client.awaitType("subscribed");
        List<String> channels = new ArrayList<>();
        subscribed.path("channels").forEach(channel -> channels.add(channel.asString()));
        assertThat(channels).as("the refused request subscribed nothing").containsExactly("agents");

        String agentId = "still-usable-" + UUID.randomUUID();
        Http.Response response = Http.post(port, "/api/events",
                "{\"type\":\"agent:status\",\"agentId\":\"" + agentId + "\",\"status\":\"busy\"}");
        assertThat(response.status()).isEqualTo(202);
        JsonNode event = client.awaitFrame(frame -> agentId.equals(frame.path("agentId").asString()));
        assertThat(event.path("type").asString()).isEqualTo("agent:status");
        assertThat(client.isOpen()).isTrue();
    }
}
