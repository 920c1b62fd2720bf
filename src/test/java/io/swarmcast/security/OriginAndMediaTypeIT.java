package io.swarmcast.security;

import io.swarmcast.ingest.CompatPort;
import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;

import static io.swarmcast.security.TokenAuthIT.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The attack that motivated the security layer, replayed with auth off (the default configuration): a page on
 * another origin, in a browser next to a local Swarmcast, may not open the WebSocket, may not inject events
 * with a {@code text/plain} "simple" request, may not run a bodyless command, and gets no CORS headers; pages
 * of this server and of the allowed local origins, and clients without {@code Origin}, work as before. The
 * dashboard page carries its security headers. A viewer connected throughout sees none of the refused events.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OriginAndMediaTypeIT {

    static final String FOREIGN = "http://evil.example";
    static final String LOCAL_DEV = "http://localhost:5173";

    @LocalServerPort
    int port;

    @Autowired
    CompatPort compatPort;

    private TestClient viewer;

    @BeforeEach
    void connectViewer() {
        viewer = TestClient.connectWelcomed(port);
        viewer.subscribe("*");
        viewer.awaitType("subscribed");
    }

    @AfterEach
    void disconnectViewer() {
        assertThat(viewer.isOpen()).isTrue();
        viewer.close();
    }

    // ---- WebSocket origin ------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {FOREIGN, "null", "http://localhost.evil.example", "https://localhost:3001"})
    void handshakeFromAForeignOriginIsRefusedWith403(String origin) {
        Throwable thrown = catchThrowable(() -> TestClient.connect(ws("/"), b -> b.header("Origin", origin)).close());
        assertThat(thrown).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) thrown.getCause()).getResponse().statusCode()).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {LOCAL_DEV, "http://127.0.0.1:8080", "http://[::1]:3000", "http://localhost"})
    void handshakeFromAnAllowedLocalOriginIsAccepted(String origin) {
        try (TestClient client = TestClient.connect(ws("/ws"), b -> b.header("Origin", origin))) {
            client.awaitType("welcome");
        }
    }

    @Test
    void handshakeFromTheServersOwnOriginOrWithoutOriginIsAccepted() {
        try (TestClient client = TestClient.connect(ws("/"), b -> b.header("Origin", "http://localhost:" + port))) {
            client.awaitType("welcome");
        }
        try (TestClient client = TestClient.connect(ws("/"))) {
            client.awaitType("welcome");
        }
    }

    // ---- content type ----------------------------------------------------------------------------------------

    @Test
    void typedIngestSentAsTextPlainIsRefusedWith415() {
        String agent = Rest.unique("plain");
        String body = "{\"type\":\"agent:status\",\"agentId\":\"" + agent + "\",\"status\":\"active\"}";
        assertRefused(post(port, "/api/events", "text/plain", body, null), 415, "unsupported_media_type");
        assertRefused(post(port, "/api/events", null, body, null), 415, "unsupported_media_type");
        assertRefused(post(port, "/api/events", "application/x-www-form-urlencoded", body, null), 415, "unsupported_media_type");
        assertRefused(post(port, "/api/events", "application/jsonp", body, null), 415, "unsupported_media_type");

        String accepted = Rest.unique("json");
        String good = "{\"type\":\"agent:status\",\"agentId\":\"" + accepted + "\",\"status\":\"active\"}";
        assertThat(post(port, "/api/events", "application/json; charset=utf-8", good, null).statusCode()).isEqualTo(202);
        viewer.awaitFrame(frame -> accepted.equals(frame.path("agentId").asString()));
        assertThat(viewer.events()).noneMatch(frame -> frame.toString().contains(agent));
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "compat"})
    void claudeFlowIngestSentAsTextPlainIsRefusedWith415OnBothPorts(String which) {
        int target = which.equals("main") ? port : compatPort.localPort().orElseThrow();
        String agent = Rest.unique("cf-plain");
        String body = "{\"channel\":\"agents\",\"type\":\"agent:spawned\",\"event\":{\"id\":\"" + agent + "\"}}";
        assertRefused(post(target, "/event", "text/plain", body, null), 415, "unsupported_media_type");
        assertThat(post(target, "/event", "application/json", body, null).statusCode()).isEqualTo(202);
    }

    @Test
    void commandsWithABodyMustBeJsonAndBodylessOnesNeedNone() {
        String agent = Rest.unique("cmd");
        assertRefused(post(port, "/api/agents", "text/plain", "{\"id\":\"" + agent + "\",\"name\":\"n\",\"type\":\"coder\"}", null),
                415, "unsupported_media_type");
        assertThat(Http.get(port, "/api/agents/" + agent).status()).isEqualTo(404);
        String taskId = Rest.createTask(port, Rest.unique("task"), "bodyless");
        assertThat(post(port, "/api/tasks/" + taskId + "/complete", null, null, null).statusCode()).isIn(200, 409);
    }

    // ---- state-changing requests from a foreign origin ------------------------------------------------------

    @Test
    void aBodylessCommandFromAForeignOriginIsRefusedWith403() {
        String agentId = Rest.spawnAgent(port, Rest.unique("agent"), "Worker", "coder");
        String taskId = Rest.createTask(port, Rest.unique("task"), "foreign");
        Rest.taskCommand(port, taskId, "assign", Rest.object("agentId", agentId));
        Rest.taskCommand(port, taskId, "start", Rest.object());

        assertRefused(post(port, "/api/tasks/" + taskId + "/complete", null, null, FOREIGN), 403, "forbidden");
        assertRefused(Http.exchange(Http.request(port, "/api/tasks/" + taskId).header("Origin", FOREIGN).DELETE().build()),
                403, "forbidden");
        assertThat(Http.get(port, "/api/tasks/" + taskId).json().path("status").asString()).isEqualTo("running");

        assertThat(post(port, "/api/tasks/" + taskId + "/complete", null, null, "http://localhost:" + port).statusCode())
                .as("the server's own page may").isEqualTo(200);
    }

    @Test
    void jsonIngestFromAForeignOriginIsRefusedWith403() {
        String agent = Rest.unique("foreign");
        String body = "{\"type\":\"agent:status\",\"agentId\":\"" + agent + "\",\"status\":\"active\"}";
        assertRefused(post(port, "/api/events", "application/json", body, FOREIGN), 403, "forbidden");
        assertRefused(post(port, "/api/events", "text/plain", body, FOREIGN), 403, "forbidden");
        String allowed = Rest.unique("localdev");
        assertThat(post(port, "/api/events", "application/json",
                "{\"type\":\"agent:status\",\"agentId\":\"" + allowed + "\",\"status\":\"active\"}", LOCAL_DEV).statusCode()).isEqualTo(202);
        viewer.awaitFrame(frame -> allowed.equals(frame.path("agentId").asString()));
        assertThat(viewer.events()).noneMatch(frame -> frame.toString().contains(agent));
    }

    // ---- CORS --------------------------------------------------------------------------------------------------

    @Test
    void aForeignOriginGetsNoCorsHeadersAndNoApiAnswers() {
        HttpResponse<String> read = Http.exchange(http11("/api/state").header("Origin", FOREIGN).GET().build());
        assertRefused(read, 403, "forbidden");
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> page = Http.exchange(http11("/").header("Origin", FOREIGN).GET().build());
        assertThat(page.statusCode()).as("the page itself holds no data").isEqualTo(200);
        assertThat(page.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> preflight = Http.exchange(http11("/api/events").header("Origin", FOREIGN)
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertRefused(preflight, 403, "forbidden");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void corsHeadersForAnAllowedOrigin() {
        HttpResponse<String> read = Http.exchange(http11("/api/state").header("Origin", LOCAL_DEV).GET().build());
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue(LOCAL_DEV);

        HttpResponse<String> preflight = Http.exchange(http11("/api/events").header("Origin", LOCAL_DEV)
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type,authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(LOCAL_DEV);
    }

    // ---- headers and health ---------------------------------------------------------------------------------------

    @Test
    void theDashboardPageCarriesSecurityHeaders() {
        HttpResponse<String> page = Http.exchange(http11("/").GET().build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Swarmcast");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                "connect-src 'self' ws://localhost:" + port + " wss://localhost:" + port);
        assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(Http.exchange(http11("/js/app.js").GET().build()).headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void withAuthOffOnLoopbackHealthShowsDetails() {
        JsonNode health = Http.get(port, "/actuator/health").json();
        assertThat(health.path("components").path("swarmcast").path("details").has("epoch")).as(health.toString()).isTrue();
    }

    // ---- DNS rebinding ----------------------------------------------------------------------------------------------

    @Test
    void aRequestForAnotherHostNameIsRefusedWhileAuthIsOff() throws Exception {
        // A page of evil.example whose name now points at 127.0.0.1: its same-origin reads carry no Origin, only Host.
        String answer = rawGet("/api/state", "evil.example:" + port);
        assertThat(answer).startsWith("HTTP/1.1 403").contains("\"code\":\"forbidden\"");
        assertThat(rawGet("/api/state", "localhost:" + port)).startsWith("HTTP/1.1 200");
        assertThat(rawGet("/api/state", "127.0.0.1:" + port)).startsWith("HTTP/1.1 200");
        assertThat(rawGet("/api/state", "[::1]:" + port)).startsWith("HTTP/1.1 200");
    }

    /** A GET with a Host header of our choosing (the JDK client will not let a caller set Host). */
    private String rawGet(String path, String host) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private URI ws(String path) {
        return URI.create("ws://localhost:" + port + path);
    }

    private HttpRequest.Builder http11(String path) {
        return Http.request(port, path).version(HttpClient.Version.HTTP_1_1);
    }

    private static HttpResponse<String> post(int target, String path, String contentType, String body, String origin) {
        HttpRequest.Builder request = Http.request(target, path)
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return Http.exchange(request.build());
    }
}
