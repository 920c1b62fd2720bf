package io.swarmcast.server;

import lombok.RequiredArgsConstructor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/** Spring's entry point for WebSocket traffic at {@code /} and {@code /ws}: hands every callback to {@link Connections}. */
@RequiredArgsConstructor
@Component
class SwarmcastWebSocketHandler extends AbstractWebSocketHandler {

    private final Connections connections;

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        connections.opened(session);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        connections.text(session, message.getPayload(), message.isLast());
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        connections.binary(session, message.getPayloadLength(), message.isLast());
    }

    @Override
    protected void handlePongMessage(WebSocketSession session, PongMessage message) {
        connections.pong(session);
    }

    /** Large frames arrive in parts, so the container's per-connection buffers can stay small. */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        connections.closed(session, status);
    }
}
