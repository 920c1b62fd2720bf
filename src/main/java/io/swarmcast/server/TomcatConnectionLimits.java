package io.swarmcast.server;

import io.swarmcast.SwarmcastProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Tomcat's connection limits on the main port, sized for a dashboard server, so that what refuses a dashboard
 * is Swarmcast's own WebSocket limit (a 1013 or 429 the client can read), never Tomcat silently leaving
 * connections in its accept queue:
 * <ul>
 *   <li>{@code maxConnections}: {@code swarmcast.max-connections} + {@link #HTTP_HEADROOM}, so WebSocket clients
 *       at their limit still leave room for health checks, ingest and handshakes (Tomcat's own default is 8,192,
 *       below the 10,000 WebSocket default);</li>
 *   <li>{@code connectionTimeout} (each read of a request, and the keep-alive wait, which defaults to it):
 *       {@code connections.request-header-timeout}, so a connection that sends nothing is dropped within it.
 *       Tomcat has no deadline for a whole request header: one trickled a line at a time resets the per-read
 *       timeout at every line, which {@link RequestHeaderDeadline} covers;</li>
 *   <li>{@code socket.txBufSize} (SO_SNDBUF): {@code connections.socket-send-buffer}. Linux otherwise grows a
 *       busy socket's send buffer up to {@code tcp_wmem}'s maximum (4 MiB), and a client that stops reading keeps
 *       it full until it is closed: 500 of them held about 1.5 GB, Linux's TCP memory-pressure threshold on a 24 GB
 *       host, which throttles every socket, the readers' included. At 64 KiB (the kernel doubles it for its
 *       bookkeeping) 10,000 stuck clients pin about 1.3 GB at most, and a reader still gets about 128 KiB in
 *       flight: ~1.3 MB/s per client even at 100 ms round trip, far beyond what a dashboard receives.</li>
 * </ul>
 * An operator's explicit {@code server.tomcat.max-connections} or {@code server.tomcat.connection-timeout} wins.
 */
@Component
class TomcatConnectionLimits implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    /** Connections beyond the WebSocket limit kept for HTTP: health, ingest, the page, handshakes being refused. */
    static final int HTTP_HEADROOM = 1000;

    private final SwarmcastProperties properties;
    private final Binder binder;

    TomcatConnectionLimits(SwarmcastProperties properties, Environment environment) {
        this.properties = properties;
        this.binder = Binder.get(environment);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        boolean maxConnectionsSet = isSet("server.tomcat.max-connections");
        boolean connectionTimeoutSet = isSet("server.tomcat.connection-timeout");
        int maxConnections = properties.maxConnections() + HTTP_HEADROOM;
        long headerTimeout = properties.connections().requestHeaderTimeout().toMillis();
        long sendBuffer = properties.connections().socketSendBuffer().toBytes();
        factory.addConnectorCustomizers(connector -> {
            if (!maxConnectionsSet) {
                connector.setProperty("maxConnections", Integer.toString(maxConnections));
            }
            if (!connectionTimeoutSet && headerTimeout > 0) {
                connector.setProperty("connectionTimeout", Long.toString(headerTimeout));
            }
            if (sendBuffer > 0) {
                connector.setProperty("socket.txBufSize", Long.toString(sendBuffer));
            }
        });
    }

    private boolean isSet(String property) {
        return binder.bind(property, String.class).isBound();
    }

    /** After Spring Boot's own Tomcat customizer (order 0), so these apply unless the operator set Tomcat's. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
