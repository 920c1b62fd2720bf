package io.swarmcast.security;

import io.swarmcast.ingest.CompatPort;
import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server with tokens, through real HTTP and WebSocket clients: every surface (WebSocket, ingest on the main
 * and the compatibility port, commands, reads, the bench endpoint, actuator and health details) accepts the
 * token it needs in every form (query, header, subprotocol) and refuses none, a wrong one, and a viewer token
 * where a producer is needed; both tokens of each list work (rotation); a viewer connected throughout sees
 * exactly the events that were accepted, none of the refused ones; and no refused token reaches the log.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "swarmcast.auth.viewer-tokens=" + TokenAuthIT.VIEWER + "," + TokenAuthIT.VIEWER_NEXT,
        "swarmcast.auth.producer-tokens=" + TokenAuthIT.PRODUCER + "," + TokenAuthIT.PRODUCER_NEXT,
        "swarmcast.compat-port=0",
        "swarmcast.bench.enabled=true"})
class TokenAuthIT {

    static final String VIEWER = "viewer-token-0123456789";
    static final String VIEWER_NEXT = "viewer-token-rotated-abcdef";
    static final String PRODUCER = "producer-token-0123456789";
    static final String PRODUCER_NEXT = "producer-token-rotated-abcdef";
    static final String WRONG = "not-a-token-at-all-42424242";

    @LocalServerPort
    int port;

    @Autowired
    CompatPort compatPort;

    /** A well-behaved viewer connected throughout, checking its own stream. */
    private TestClient viewer;

    @BeforeEach
    void connectViewer() {
        viewer = TestClient.connect(ws("/?token=" + VIEWER));
        viewer.awaitType("welcome");
        viewer.subscribe("*");
        viewer.awaitType("subscribed");
    }

    @AfterEach
    void checkViewerStream() {
        long previous = 0;
        for (JsonNode event : viewer.events()) {
            if (event.has("seq") && !event.path("snapshot").asBoolean()) {
                assertThat(event.path("seq").asLong()).as("seqs in order, none twice").isGreaterThan(previous);
                previous = event.path("seq").asLong();
            }
        }
        assertThat(viewer.isOpen()).isTrue();
        viewer.close();
    }

    private URI ws(String pathAndQuery) {
        return URI.create("ws://localhost:" + port + pathAndQuery);
    }

    // ---- WebSocket ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {VIEWER, VIEWER_NEXT, PRODUCER, PRODUCER_NEXT})
    void handshakeTakesEveryTokenAsQueryParameter(String token) {
        try (TestClient client = TestClient.connect(ws("/?token=" + token))) {
            assertThat(client.awaitType("welcome").path("protocol").asInt()).isEqualTo(1);
        }
    }

    @Test
    void handshakeTakesTheTokenAsAuthorizationHeaderOnBothPaths() {
        for (String path : new String[] {"/", "/ws"}) {
            try (TestClient client = TestClient.connect(ws(path), b -> b.header("Authorization", "Bearer " + VIEWER_NEXT))) {
                client.awaitType("welcome");
            }
        }
    }

    @Test
    void handshakeTakesTheTokenAsSubprotocolAndEchoesIt() {
        try (TestClient client = TestClient.connect(ws("/ws"), b -> b.subprotocols("bearer." + VIEWER))) {
            client.awaitType("welcome");
            assertThat(client.subprotocol()).as("a browser fails the handshake without the echo").isEqualTo("bearer." + VIEWER);
        }
    }

    @Test
    void handshakeWithoutTokenIsRefusedWith401AndWwwAuthenticate() {
        HttpResponse<?> answer = refusedHandshake(ws("/"), b -> { });
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void handshakeWithWrongTokenIsRefusedInEveryForm(CapturedOutput output) {
        assertThat(refusedHandshake(ws("/?token=" + WRONG), b -> { }).statusCode()).isEqualTo(401);
        assertThat(refusedHandshake(ws("/ws"), b -> b.header("Authorization", "Bearer " + WRONG)).statusCode()).isEqualTo(401);
        assertThat(refusedHandshake(ws("/ws"), b -> b.subprotocols("bearer." + WRONG)).statusCode()).isEqualTo(401);
        assertThat(output.getAll()).as("a refused token is never logged, not even in the query string").doesNotContain(WRONG);
    }

    private static HttpResponse<?> refusedHandshake(URI uri, Consumer<WebSocket.Builder> handshake) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> TestClient.connect(uri, handshake).close());
        assertThat(thrown).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) thrown.getCause()).getResponse();
    }

    // ---- ingest ------------------------------------------------------------------------------------------

    @Test
    void typedIngestNeedsAProducerToken(CapturedOutput output) {
        String refusedNone = Rest.unique("none");
        String refusedViewer = Rest.unique("viewer");
        String refusedWrong = Rest.unique("wrong");
        assertRefused(post(port, "/api/events", agentEvent(refusedNone), null), 401, "unauthorized");
        assertRefused(post(port, "/api/events", agentEvent(refusedViewer), "Bearer " + VIEWER), 403, "forbidden");
        assertRefused(post(port, "/api/events", agentEvent(refusedWrong), "Bearer " + WRONG), 401, "unauthorized");
        assertRefused(post(port, "/api/events?token=" + WRONG, agentEvent(refusedWrong), null), 401, "unauthorized");

        String byHeader = Rest.unique("header");
        String byQuery = Rest.unique("query");
        String rotated = Rest.unique("rotated");
        assertThat(post(port, "/api/events", agentEvent(byHeader), "Bearer " + PRODUCER).statusCode()).isEqualTo(202);
        assertThat(post(port, "/api/events?token=" + PRODUCER, agentEvent(byQuery), null).statusCode()).isEqualTo(202);
        assertThat(post(port, "/api/events", agentEvent(rotated), "Bearer " + PRODUCER_NEXT).statusCode()).isEqualTo(202);

        awaitAgents(byHeader, byQuery, rotated);
        assertNeverDelivered(refusedNone, refusedViewer, refusedWrong);
        assertThat(output.getAll()).doesNotContain(WRONG).doesNotContain(VIEWER + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "compat"})
    void claudeFlowIngestNeedsAProducerTokenOnBothPorts(String which) {
        int target = which.equals("main") ? port : compatPort.localPort().orElseThrow();
        String refused = Rest.unique("cf-refused-" + which);
        assertRefused(post(target, "/event", claudeFlowEvent(refused), null), 401, "unauthorized");
        assertRefused(post(target, "/event", claudeFlowEvent(refused), "Bearer " + VIEWER), 403, "forbidden");
        assertRefused(post(target, "/event?token=" + VIEWER_NEXT, claudeFlowEvent(refused), null), 403, "forbidden");

        String accepted = Rest.unique("cf-" + which);
        String acceptedByQuery = Rest.unique("cf-query-" + which);
        assertThat(post(target, "/event", claudeFlowEvent(accepted), "Bearer " + PRODUCER_NEXT).statusCode()).isEqualTo(202);
        assertThat(post(target, "/event?token=" + PRODUCER, claudeFlowEvent(acceptedByQuery), null).statusCode()).isEqualTo(202);
        awaitAgents(accepted, acceptedByQuery);
        assertNeverDelivered(refused);
    }

    // ---- commands and reads -------------------------------------------------------------------------------

    @Test
    void commandsNeedAProducerTokenEvenWithoutABody() {
        String taskId = Rest.unique("task");
        assertRefused(post(port, "/api/tasks", "{\"id\":\"" + taskId + "\",\"description\":\"d\"}", null), 401, "unauthorized");
        assertRefused(post(port, "/api/tasks", "{\"id\":\"" + taskId + "\",\"description\":\"d\"}", "Bearer " + VIEWER), 403, "forbidden");
        assertThat(post(port, "/api/tasks", "{\"id\":\"" + taskId + "\",\"description\":\"d\"}", "Bearer " + PRODUCER).statusCode()).isEqualTo(201);

        HttpRequest.Builder complete = Http.request(port, "/api/tasks/" + taskId + "/complete").POST(HttpRequest.BodyPublishers.noBody());
        assertThat(Http.exchange(complete.build()).statusCode()).isEqualTo(401);
        assertThat(Http.exchange(Http.request(port, "/api/tasks/" + taskId + "/complete")
                .header("Authorization", "Bearer " + VIEWER).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(403);
        assertThat(Http.exchange(Http.request(port, "/api/tasks/" + taskId)
                .header("Authorization", "Bearer " + VIEWER).DELETE().build()).statusCode()).isEqualTo(403);
        assertThat(read("/api/tasks/" + taskId, "Bearer " + VIEWER).body()).contains("\"pending\"");
        assertThat(Http.exchange(Http.request(port, "/api/tasks/" + taskId + "/complete")
                .header("Authorization", "Bearer " + PRODUCER_NEXT).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
                .isIn(200, 409); // 409: completing a pending task is a state question, past the token check
    }

    @Test
    void readsNeedAViewerOrProducerToken() {
        assertRefused(read("/api/state", null), 401, "unauthorized");
        assertRefused(read("/api/state", "Bearer " + WRONG), 401, "unauthorized");
        assertRefused(read("/api/agents?token=" + WRONG, null), 401, "unauthorized");
        for (String token : new String[] {VIEWER, VIEWER_NEXT, PRODUCER, PRODUCER_NEXT}) {
            assertThat(read("/api/state", "Bearer " + token).statusCode()).isEqualTo(200);
            assertThat(read("/api/agents?token=" + token, null).statusCode()).isEqualTo(200);
        }
        assertThat(read("/api/state", "bearer " + VIEWER).statusCode()).as("the scheme is case-insensitive").isEqualTo(200);
    }

    @Test
    void benchEndpointNeedsAProducerToken() {
        String path = "/bench/emit?rate=10&seconds=0.1";
        assertRefused(Http.exchange(Http.request(port, path).POST(HttpRequest.BodyPublishers.noBody()).build()), 401, "unauthorized");
        assertRefused(Http.exchange(Http.request(port, path).header("Authorization", "Bearer " + VIEWER)
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 403, "forbidden");
        assertThat(Http.exchange(Http.request(port, path).header("Authorization", "Bearer " + PRODUCER)
                .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(200);
    }

    // ---- page and actuator ---------------------------------------------------------------------------------

    @Test
    void theDashboardPageAndItsFilesNeedNoToken() {
        assertThat(read("/", null).statusCode()).isEqualTo(200);
        assertThat(read("/js/app.js", null).statusCode()).isEqualTo(200);
        assertThat(read("/css/dashboard.css", null).statusCode()).isEqualTo(200);
    }

    @Test
    void healthIsOpenButItsDetailsNeedAToken() {
        JsonNode anonymous = Http.get(port, "/actuator/health").json();
        assertThat(anonymous.path("status").asString()).isEqualTo("UP");
        assertThat(anonymous.has("components")).as("no details without a token: " + anonymous).isFalse();
        assertThat(Http.get(port, "/actuator/health/readiness").status()).as("probes need no token").isEqualTo(200);

        for (String authorization : new String[] {"Bearer " + VIEWER, "Bearer " + PRODUCER_NEXT}) {
            JsonNode detailed = TestClient.JSON.readTree(read("/actuator/health", authorization).body());
            assertThat(detailed.path("components").path("swarmcast").path("details").has("epoch")).as(detailed.toString()).isTrue();
        }
        JsonNode wrong = TestClient.JSON.readTree(read("/actuator/health", "Bearer " + WRONG).body());
        assertThat(wrong.has("components")).isFalse();
    }

    @Test
    void otherActuatorEndpointsNeedAViewerToken() {
        assertRefused(read("/actuator/prometheus", null), 401, "unauthorized");
        assertRefused(read("/actuator/info", null), 401, "unauthorized");
        assertThat(read("/actuator/prometheus", "Bearer " + VIEWER).statusCode()).isEqualTo(200);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private HttpResponse<String> post(int target, String path, String body, String authorization) {
        HttpRequest.Builder request = Http.request(target, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return Http.exchange(request.build());
    }

    private HttpResponse<String> read(String path, String authorization) {
        // HTTP/1.1: the JDK client's HTTP/2 attempt sends "Upgrade: h2c", and an upgrade request to / is the WebSocket's.
        HttpRequest.Builder request = Http.request(port, path).version(java.net.http.HttpClient.Version.HTTP_1_1).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return Http.exchange(request.build());
    }

    static void assertRefused(HttpResponse<String> answer, int status, String code) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(TestClient.JSON.readTree(answer.body()).path("code").asString()).isEqualTo(code);
        if (status == 401) {
            assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
    }

    private static String agentEvent(String agentId) {
        return "{\"type\":\"agent:status\",\"agentId\":\"" + agentId + "\",\"status\":\"active\"}";
    }

    private static String claudeFlowEvent(String agentId) {
        return "{\"channel\":\"agents\",\"type\":\"agent:spawned\",\"event\":{\"id\":\"" + agentId + "\"}}";
    }

    private void awaitAgents(String... agentIds) {
        for (String id : agentIds) {
            viewer.awaitFrame(frame -> "agent:status".equals(frame.path("type").asString())
                    && id.equals(frame.path("agentId").asString()));
        }
    }

    private void assertNeverDelivered(String... agentIds) {
        for (String id : agentIds) {
            assertThat(viewer.events()).noneMatch(frame -> frame.toString().contains(id));
        }
    }
}
