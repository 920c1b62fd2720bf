package io.swarmcast.server;

import io.swarmcast.web.RejectionLog;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Refuses a WebSocket handshake with HTTP 429 when its remote address starts handshakes too fast or already
 * holds its share of connections ({@link AddressAdmission}), before any WebSocket session exists. It also hands
 * the address to {@link Connections} (a handshake attribute), so that both judge the same address.
 *
 * <p>The address is the servlet request's {@code getRemoteAddr()}: the peer's, or, behind a reverse proxy,
 * the proxy's, unless {@code server.forward-headers-strategy} (native: Tomcat's RemoteIpValve; framework:
 * Spring's ForwardedHeaderFilter) makes it the client's from {@code X-Forwarded-For} / {@code Forwarded}.
 */
final class AddressHandshakeInterceptor implements HandshakeInterceptor {

    static final String ADDRESS_ATTRIBUTE = AddressHandshakeInterceptor.class.getName() + ".address";

    private final AddressAdmission admission;

    AddressHandshakeInterceptor(AddressAdmission admission) {
        this.admission = admission;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) throws IOException {
        String address = remoteAddress(request);
        attributes.put(ADDRESS_ATTRIBUTE, address);
        switch (admission.attempt(address)) {
            case TOO_MANY_ATTEMPTS -> {
                RejectionLog.info("websocket-attempt-rate", "{} starts WebSocket handshakes too fast", address);
                refuse(response, "rate_limited", "too many WebSocket handshakes from this address; try again in a second");
                return false;
            }
            case TOO_MANY_CONNECTIONS -> {
                RejectionLog.info("websocket-per-address", "{} already holds {} WebSocket connections", address,
                        admission.maxPerAddress());
                refuse(response, "too_many_connections", "this address already holds "
                        + admission.maxPerAddress() + " WebSocket connections");
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception exception) {
        // The slot is taken when the connection opens (Connections.opened), so a failed handshake holds none.
    }

    static String remoteAddress(ServerHttpRequest request) {
        if (request instanceof ServletServerHttpRequest servlet) {
            return servlet.getServletRequest().getRemoteAddr();
        }
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    /** The shared error body ({"error", "code"}) with 429 and a one-second Retry-After. */
    private static void refuse(ServerHttpResponse response, String code, String message) throws IOException {
        response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set("Retry-After", "1");
        String body = "{\"error\":\"" + message + "\",\"code\":\"" + code + "\"}";
        response.getBody().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
