package io.swarmcast.server;

import io.swarmcast.security.BearerSubprotocolHandshakeHandler;
import io.swarmcast.security.OriginPolicy;
import lombok.RequiredArgsConstructor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * Serves the protocol at {@code /} (where the Claude Flow dashboard connects) and {@code /ws}, and sets the
 * container's limits: small inbound buffers (frames over the inbound limit are closed with 1009 by
 * {@link Connections}) and no idle timeout (liveness is the heartbeat's business). Outbound frames do not
 * go through the container's send API at all on the default, direct path ({@link FrameSocketFactory}).
 */
@RequiredArgsConstructor
@Configuration
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    static final int INBOUND_BUFFER_CHARS = 1024;

    private final SwarmcastWebSocketHandler handler;
    private final OriginPolicy origins;
    private final AddressAdmission admission;

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // The security filter has checked the token and the Origin before the handshake gets here; Spring's own
        // origin check (403; same origin and requests without Origin pass) holds the same line should the
        // filter ever be bypassed. The handshake handler echoes a "bearer.<token>" subprotocol, as browsers need.
        // Each remote address gets a fair share of the slots: refused with 429 at the handshake when it starts
        // handshakes too fast or already holds its share (AddressAdmission).
        registry.addHandler(handler, "/", "/ws")
                .setHandshakeHandler(new BearerSubprotocolHandshakeHandler())
                .setAllowedOriginPatterns(origins.patterns().toArray(String[]::new))
                .addInterceptors(new AddressHandshakeInterceptor(admission));
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        // Every connection holds buffers of these sizes, idle or not (text: 2 bytes per char); frames larger
        // than them arrive in parts and are put together and held to the frame limit by InboundFrame. Client
        // frames are small requests: 1 Ki instead of 8 Ki saves 21 KiB per connection (docs/benchmarks.md).
        container.setMaxTextMessageBufferSize(INBOUND_BUFFER_CHARS);
        container.setMaxBinaryMessageBufferSize(INBOUND_BUFFER_CHARS);
        container.setMaxSessionIdleTimeout(0L);
        return container;
    }
}
