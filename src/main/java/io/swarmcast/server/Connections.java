package io.swarmcast.server;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.web.RejectionLog;
import lombok.extern.slf4j.Slf4j;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;

/**
 * The life of each client connection: admission against maxConnections and the per-address share, the
 * welcome, inbound frames through the rate limit, liveness (heartbeat), subscriptions (an idle socket subscribed
 * to nothing is closed) and send health (slow consumers), and closing with the right status. Closing runs on its
 * own executor, since the container may wait while writing a close frame; a client whose socket is full is reset
 * rather than waited for ({@link #close}). Pings are frames in the client's queue like any other.
 */
@Slf4j
final class Connections {

    /** Tomcat's property for how long a blocking send (ping, close frame) may wait for the socket. */
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    /** Tomcat's property for how long the close frame of a non-1000 close may wait for the socket (default 50 ms). */
    private static final String TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT =
            "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";
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
    private final AddressAdmission admission;
    private volatile boolean accepting = true;

    /** What a welcome frame reports about the event log. */
    interface WelcomeState {
        String epoch();

        long newestSeq();
    }

    Connections(SwarmcastProperties properties, SessionRegistry registry, ClientRequestHandler requests,
                ControlFrames frames, ServerMetrics metrics, ExecutorService blockingSends, FrameSocketFactory sockets,
                LongSupplier nanoClock, String serverId, WelcomeState welcomeState, AddressAdmission admission) {
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
        this.admission = admission;
    }

    AddressAdmission admission() {
        return admission;
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
        String address = remoteAddress(webSocket);
        if (!admission.acquire(address)) {
            close(session, CloseReason.TOO_MANY_FROM_ADDRESS);
            return;
        }
        session.addressSlot(address);
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
        requests.closed(session);
        String address = session.takeAddressSlot();
        if (address != null) {
            admission.release(address);
        }
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

    /**
     * Closes clients subscribed to nothing for longer than {@code connections.unsubscribed-timeout}: a socket that
     * only answers pings holds a connection slot and gives nothing to anyone. Dashboards subscribe right after
     * {@code welcome}, so only idle or abusive connections are ever closed here.
     */
    void closeUnsubscribed() {
        long timeout = properties.connections().unsubscribedTimeout().toNanos();
        if (timeout <= 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        for (ClientSession session : registry.all()) {
            long since = session.unsubscribedSinceNanos();
            if (since != ClientSession.SUBSCRIBED && now - since > timeout) {
                close(session, CloseReason.UNSUBSCRIBED);
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

    /**
     * Closes the client with the reason's status, off the calling thread. A client whose socket is full (a slow
     * consumer, or any client with a write stuck in flight) is not waited for: there is no point writing a close
     * frame into a socket that takes nothing. Its connection is reset instead (SO_LINGER 0, so the kernel drops
     * the unread bytes at once rather than holding them, up to the send buffer, while it retries), and Tomcat's
     * attempt at the close frame gets 1 ms. Such a client sees the close code if the frame still fits, else 1006.
     * Waiting here, as a blocking close did, kept hundreds of closing threads and orphaned buffers around while
     * hundreds of non-readers were closed, and delayed the clients that do read.
     */
    void close(ClientSession session, CloseReason reason) {
        if (!session.markClosing(reason)) {
            return;
        }
        boolean socketFull = reason == CloseReason.SLOW_CONSUMER
                || session.outbound().inFlightNanos(nanoClock.getAsLong()) > 0;
        if (socketFull) {
            session.outbound().abort();
            setCloseFrameTimeout(session.webSocket(), 1L);
        } else {
            session.outbound().close();
        }
        if (reason != CloseReason.SHUTDOWN) {
            RejectionLog.info("websocket-" + reason.tag(), "closing client {} ({}) with {} \"{}\"", session.clientId(),
                    remoteAddress(session.webSocket()), reason.status().getCode(), reason.status().getReason());
        }
        blockingSends.execute(() -> closeQuietly(session.webSocket(), reason.status()));
    }

    private static void setCloseFrameTimeout(WebSocketSession webSocket, long millis) {
        if (webSocket instanceof StandardWebSocketSession standard) {
            try {
                standard.getNativeSession().getUserProperties().put(TOMCAT_ABNORMAL_CLOSE_SEND_TIMEOUT, millis);
            } catch (IllegalStateException e) {
                // Not open yet or already closed: nothing to time.
            }
        }
    }

    /** The remote address the handshake was judged by ({@link AddressHandshakeInterceptor}), else the peer's. */
    private static String remoteAddress(WebSocketSession webSocket) {
        Object judged = webSocket.getAttributes().get(AddressHandshakeInterceptor.ADDRESS_ATTRIBUTE);
        if (judged instanceof String address) {
            return address;
        }
        InetSocketAddress remote = webSocket.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
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
