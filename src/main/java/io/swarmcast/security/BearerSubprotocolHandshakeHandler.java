package io.swarmcast.security;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import java.util.List;

/**
 * Echoes the subprotocol {@code bearer.<token>} a client offered, when it offered one. A browser cannot set
 * {@code Authorization} on a WebSocket, so it sends its token as a subprotocol
 * ({@code new WebSocket(url, ["bearer." + token])}); and a browser that offered subprotocols fails the handshake
 * unless the server selects one of them. {@link SecurityFilter} has already checked the token by the time this
 * runs; with authentication off the protocol is echoed all the same, so such a client works either way.
 */
public class BearerSubprotocolHandshakeHandler extends DefaultHandshakeHandler {

    @Override
    protected String selectProtocol(List<String> requestedProtocols, WebSocketHandler webSocketHandler) {
        for (String protocol : requestedProtocols) {
            if (protocol.startsWith(BearerCredentials.SUBPROTOCOL_PREFIX)) {
                return protocol;
            }
        }
        return super.selectProtocol(requestedProtocols, webSocketHandler);
    }
}
