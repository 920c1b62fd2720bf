package io.swarmcast.server;

import io.swarmcast.SwarmcastProperties;
import lombok.extern.slf4j.Slf4j;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;

/**
 * The life of each client connection: admission against maxConnections, the welcome, inbound frames
 * through the rate limit, liveness (heartbeat) and send health (slow consumers), and closing with the
 * right status. Closing runs on its own executor, since the container blocks while writing a close frame
 * to a full socket; pings are frames in the client's queue like any other.
 */
@Slf4j
final class Connections {

    /** Tomcat's property for how long a blocking send (ping, close frame) may wait for the socket. */
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    private static final String SESSION_ATTRIBUTE = ClientSession.class.getName();

    private final SwarmcastProperties properties;
    private final SessionRegistry registry;
    private final ClientRequestHandler requests;
    private final ControlFrames frames;
    private final ServerMetrics metrics;
    private final ExecutorService blockingSends;
    private final FrameSocketFactory sockets;
    private final LongSupplier nanoClock;
    private final String serverId;
    private final WelcomeState welcomeState;
    /** The bound on bytes queued for all clients together ({@code limits.total-send-buffer-limit}). */
    private final SendBudget sendBudget;
    private volatile boolean accepting = true;

    /** What a welcome frame reports about the event log. */
    interface WelcomeState {
        String epoch();

        long newestSeq();
    }

    Connections(SwarmcastProperties properties, SessionRegistry registry, ClientRequestHandler requests,
                ControlFrames frames, ServerMetrics metrics, ExecutorService blockingSends, FrameSocketFactory sockets,
                LongSupplier nanoClock, String serverId, WelcomeState welcomeState) {
        this.properties = properties;
        this.registry = registry;
        this.requests = requests;
        this.frames = frames;
        this.metrics = metrics;
        this.blockingSends = blockingSends;
        this.sockets = sockets;
        this.nanoClock = nanoClock;
        this.serverId = serverId;
        this.welcomeState = welcomeState;
        this.sendBudget = new SendBudget(properties.limits().totalSendBufferLimit().toBytes());
    }

    void opened(WebSocketSession webSocket) {
        if (!accepting) {
            closeQuietly(webSocket, CloseReason.SHUTDOWN.status());
            metrics.clientClosed(CloseReason.SHUTDOWN.tag());
            return;
        }
        jakarta.websocket.Session nativeSession = ((StandardWebSocketSession) webSocket).getNativeSession();
        nativeSession.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, properties.limits().sendTimeLimit().toMillis());
        String clientId = "c-" + UUID.randomUUID().toString().substring(0, 8);
        ClientSession[] holder = new ClientSession[1];
        FrameSocket socket = sockets.open(nativeSession, blockingSends);
        OutboundQueue outbound = new OutboundQueue(socket, properties.limits().sendBufferLimit().toBytes(),
                properties.limits().replyBufferLimit().toBytes(), sendBudget,
                queuedBytes -> close(holder[0], CloseReason.SLOW_CONSUMER),
                cause -> sendFailed(holder[0], cause),
                metrics::framesDelivered);
        long now = nanoClock.getAsLong();
        RateLimiter limiter = new RateLimiter(properties.limits().rateLimit(), properties.limits().rateBurst(),
                properties.limits().rateLimitCloseAfter(), properties.limits().rateLimitWindow().toNanos(), now);
        ClientSession session = new ClientSession(clientId, webSocket, outbound, limiter,
                new InboundFrame(properties.limits().maxFrameSize().toBytes()), now);
        holder[0] = session;
        webSocket.getAttributes().put(SESSION_ATTRIBUTE, session);
        if (!registry.tryAdd(session)) {
            close(session, CloseReason.MAX_CONNECTIONS);
            return;
        }
        session.send(Outbound.reply(frames.welcome(clientId, serverId, welcomeState.epoch(), welcomeState.newestSeq(),
                properties.heartbeatInterval().toMillis())));
    }

    /** A text frame, or a part of one: the container hands large frames over in parts ({@link InboundFrame}). */
    void text(WebSocketSession webSocket, String part, boolean last) {
        ClientSession session = sessionOf(webSocket);
        if (session == null) {
            return;
        }
        // The limit is in bytes, as on the wire; the container counts characters.
        if (!session.inbound().addText(part, last)) {
            close(session, CloseReason.FRAME_TOO_BIG);
            return;
        }
        if (last && admitted(session)) {
            requests.handle(session, session.inbound().takeText(part));
        }
    }

    static long utf8Length(String text) {
        int chars = text.length();
        long bytes = 0;
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    void binary(WebSocketSession webSocket, int partBytes, boolean last) {
        ClientSession session = sessionOf(webSocket);
        if (session == null) {
            return;
        }
        if (!session.inbound().addBinary(partBytes, last)) {
            close(session, CloseReason.FRAME_TOO_BIG);
            return;
        }
        if (last && admitted(session)) {
            requests.sendError(session, new RequestException(ErrorCode.BINARY_UNSUPPORTED, null,
                    "binary frames are not supported; send JSON text frames"));
        }
    }

    void pong(WebSocketSession webSocket) {
        ClientSession session = sessionOf(webSocket);
        if (session != null) {
            session.seen(nanoClock.getAsLong());
        }
    }

    void closed(WebSocketSession webSocket, CloseStatus status) {
        ClientSession session = sessionOf(webSocket);
        if (session == null) {
            return;
        }
        session.outbound().close();
        registry.remove(session);
        CloseReason reason = session.closeReason();
        metrics.clientClosed(reason != null ? reason.tag() : CloseReason.tagFor(status));
        log.debug("client {} closed: {}", session.clientId(), status);
    }

    /** Counts the frame as a sign of life and against the rate limit; refuses or closes a flooding client. */
    private boolean admitted(ClientSession session) {
        long now = nanoClock.getAsLong();
        session.seen(now);
        switch (session.rateLimiter().onFrame(now)) {
            case ACCEPT:
                return true;
            case REFUSE:
                requests.sendError(session, new RequestException(ErrorCode.RATE_LIMITED, null,
                        "more than " + properties.limits().rateLimit() + " frames per second; this frame was dropped"));
                return false;
            default:
                close(session, CloseReason.RATE_LIMITED);
                return false;
        }
    }

    /**
     * Pings every client and closes those silent for two heartbeat intervals. The ping goes through the
     * client's queue, so it never interleaves with a frame being written.
     */
    void heartbeat() {
        long now = nanoClock.getAsLong();
        long deadAfter = 2 * properties.heartbeatInterval().toNanos();
        for (ClientSession session : registry.all()) {
            if (now - session.lastSeenNanos() > deadAfter) {
                close(session, CloseReason.HEARTBEAT_TIMEOUT);
            } else {
                session.send(Outbound.PING);
            }
        }
    }

    /**
     * Closes clients whose send has been stuck past the limit. This is checked on a clock, not on the next
     * send, so a client that stops reading is caught even when events arrive slowly.
     */
    void checkSends() {
        long now = nanoClock.getAsLong();
        long limit = properties.limits().sendTimeLimit().toNanos();
        for (ClientSession session : registry.all()) {
            if (session.outbound().inFlightNanos(now) > limit) {
                close(session, CloseReason.SLOW_CONSUMER);
            }
        }
    }

    /** Stops admitting clients; those connecting from now on are closed with 1001. */
    void stopAccepting() {
        accepting = false;
    }

    /** Admits clients again, when the server is started after a stop (a lifecycle restart or pause). */
    void startAccepting() {
        accepting = true;
    }

    /** Bytes queued for all clients now (writes in flight not counted). */
    long queuedBytes() {
        return sendBudget.queuedBytes();
    }

    boolean allIdle() {
        for (ClientSession session : registry.all()) {
            if (!session.outbound().isIdle() && !session.outbound().isClosed()) {
                return false;
            }
        }
        return true;
    }

    void closeAll(CloseReason reason) {
        for (ClientSession session : registry.all()) {
            close(session, reason);
        }
    }

    void close(ClientSession session, CloseReason reason) {
        if (!session.markClosing(reason)) {
            return;
        }
        session.outbound().close();
        log.debug("closing client {}: {}", session.clientId(), reason);
        blockingSends.execute(() -> closeQuietly(session.webSocket(), reason.status()));
    }

    private void sendFailed(ClientSession session, Throwable cause) {
        if (cause instanceof FrameSocket.ClosingException) {
            // The container sent or answered a close frame; it reports the close itself (closed(...)).
            log.debug("client {}: frames dropped after the close frame", session.clientId());
        } else if (cause instanceof SocketTimeoutException) {
            close(session, CloseReason.SLOW_CONSUMER);
        } else if (session.webSocket().isOpen()) {
            log.debug("send to client {} failed", session.clientId(), cause);
            close(session, CloseReason.SEND_FAILED);
        }
    }

    private static ClientSession sessionOf(WebSocketSession webSocket) {
        return (ClientSession) webSocket.getAttributes().get(SESSION_ATTRIBUTE);
    }

    private static void closeQuietly(WebSocketSession webSocket, CloseStatus status) {
        try {
            webSocket.close(status);
        } catch (IOException | RuntimeException e) {
            log.debug("close of {} failed", webSocket.getId(), e);
        }
    }
}
