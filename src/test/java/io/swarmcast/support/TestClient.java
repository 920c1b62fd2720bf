package io.swarmcast.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A real WebSocket client (the JDK's) for tests: records every frame it receives, in order, and can stop
 * reading altogether to play a client that hangs (no demand means the JDK client reads nothing, so the
 * server's sends back up and its pings go unanswered).
 */
public final class TestClient implements WebSocket.Listener, AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    /** System.nanoTime() at which each frame arrived, by index; added before the frame, so always there for it. */
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final List<String> pongs = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean reading = true;
    private volatile String closeReason;
    private WebSocket webSocket;

    public static TestClient connect(int port) {
        return connect(URI.create("ws://localhost:" + port + "/"));
    }

    public static TestClient connect(URI uri) {
        return connect(uri, builder -> { });
    }

    /**
     * Connects with handshake headers or subprotocols set by {@code handshake} (a token, an {@code Origin}). A
     * refused handshake throws a {@link java.util.concurrent.CompletionException} whose cause is a
     * {@link java.net.http.WebSocketHandshakeException} carrying the HTTP answer.
     */
    public static TestClient connect(URI uri, java.util.function.Consumer<WebSocket.Builder> handshake) {
        TestClient client = new TestClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        handshake.accept(builder);
        client.webSocket = builder.buildAsync(uri, client).join();
        return client;
    }

    /** The subprotocol the server selected in the handshake ("" for none). */
    public String subprotocol() {
        return webSocket.getSubprotocol();
    }

    /** Connects and waits for the welcome frame. */
    public static TestClient connectWelcomed(int port) {
        TestClient client = connect(port);
        client.awaitType("welcome");
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            arrivals.add(System.nanoTime());
            frames.add(JSON.readTree(partial.toString()));
            partial.setLength(0);
        }
        if (reading) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        if (reading) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        pongs.add(java.nio.charset.StandardCharsets.UTF_8.decode(message).toString());
        if (reading) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.complete(-1);
    }

    public void send(String text) {
        webSocket.sendText(text, true).join();
    }

    public void sendJson(Object value) {
        send(JSON.writeValueAsString(value));
    }

    /** A WebSocket protocol ping (not the application-level one); the server's container answers it. */
    public void sendProtocolPing(String payload) {
        webSocket.sendPing(java.nio.charset.StandardCharsets.UTF_8.encode(payload)).join();
    }

    /** Payloads of the protocol pongs received, in order. */
    public List<String> pongs() {
        return new ArrayList<>(pongs);
    }

    public void sendBinary(byte[] bytes) {
        webSocket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    public void subscribe(String... channels) {
        sendJson(java.util.Map.of("type", "subscribe", "channels", List.of(channels)));
        awaitType("subscribed");
    }

    /** Stops asking for frames: from now on the client reads nothing, like a hung browser tab. */
    public void stopReading() {
        reading = false;
    }

    /** Starts reading again. */
    public void resumeReading() {
        reading = true;
        webSocket.request(1);
    }

    public List<JsonNode> frames() {
        return new ArrayList<>(frames);
    }

    public List<JsonNode> framesOfType(String type) {
        return frames.stream().filter(f -> type.equals(f.path("type").asString())).collect(Collectors.toList());
    }

    /** Event frames (those with a seq), in arrival order. */
    public List<JsonNode> events() {
        return frames.stream().filter(f -> f.has("seq") && f.has("channel")).collect(Collectors.toList());
    }

    public JsonNode awaitFrame(Predicate<JsonNode> matching) {
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.stream().anyMatch(matching));
        return frames.stream().filter(matching).findFirst().orElseThrow();
    }

    /** The newest frame of the type, waiting until at least {@code count} have arrived. */
    public JsonNode awaitType(String type, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> framesOfType(type).size() >= count);
        List<JsonNode> ofType = framesOfType(type);
        return ofType.get(ofType.size() - 1);
    }

    /** The newest frame of the type, waiting until one has arrived. */
    public JsonNode awaitType(String type) {
        return awaitType(type, 1);
    }

    /**
     * Waits for and returns the next frame of the type that arrives after this call. Racy after a request:
     * the answer may already be there. Count first ({@link #framesOfType}) and use {@link #awaitType(String, int)}.
     */
    public JsonNode nextOfType(String type) {
        return awaitType(type, framesOfType(type).size() + 1);
    }

    /** When the frame at {@code index} of {@link #frames()} arrived (System.nanoTime()). Not kept across {@link #clear()}. */
    public long arrivalNanos(int index) {
        return arrivals.get(index);
    }

    public void clear() {
        arrivals.clear();
        frames.clear();
    }

    public int awaitClose() {
        return closeCode.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isOpen() {
        return !webSocket.isInputClosed() && !webSocket.isOutputClosed();
    }

    /** Drops the connection without a close handshake, as a lost network would. */
    public void abort() {
        webSocket.abort();
    }

    @Override
    public void close() {
        if (!webSocket.isOutputClosed()) {
            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        webSocket.abort();
    }
}
