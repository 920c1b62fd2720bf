package io.swarmcast.ingest;

import io.swarmcast.SwarmcastProperties;
import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.OptionalInt;

/**
 * The Claude Flow CLI's compatibility listener: a second connector of the same web server (default port + 1,
 * {@code swarmcast.compat-port}, off with {@code swarmcast.compat-enabled=false}), where only
 * {@code POST /event} is served ({@link CompatPortFilter}). Running inside the same server means the same
 * limits, errors, metrics and lifecycle as the main port.
 *
 * <p>When the derived port (main port + 1) is taken, typically by the original Claude Flow event server on 3002,
 * the server starts without the listener and says so in one WARN: {@code POST /event} works on the main port too.
 * A port set on purpose ({@code swarmcast.compat-port}) that is taken fails the start instead
 * ({@link CompatPortInUseException}, reported in one paragraph by {@link CompatPortInUseFailureAnalyzer}).
 */
@RequiredArgsConstructor
@Slf4j
@Component
public class CompatPort implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final SwarmcastProperties properties;
    private volatile Connector connector;
    private volatile int boundPort;

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        if (!properties.compatEnabled()) {
            return;
        }
        boundPort = 0;
        connector = null;
        int port = properties.effectiveCompatPort(factory.getPort());
        if (port != 0 && !canBind(properties.host(), port)) {
            if (properties.compatPort() != null) {
                throw new CompatPortInUseException(port);
            }
            log.warn("Port {} (main port + 1) is in use, so the Claude Flow CLI compatibility listener is off; POST /event "
                    + "works on port {} too. Move the listener with --swarmcast.compat-port=N (0 picks a free port) or turn it "
                    + "off with --swarmcast.compat-enabled=false.", port, factory.getPort());
            return;
        }
        Connector compat = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        compat.setPort(port);
        compat.setProperty("address", properties.host());
        factory.addAdditionalConnectors(compat);
        connector = compat;
    }

    /**
     * Whether a listener could bind the port now, tried the way Tomcat binds (address reuse on, so a port in
     * TIME_WAIT after a restart counts as free). Another process could still take it before Tomcat does; then
     * Tomcat's own failure stands.
     */
    static boolean canBind(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** Runs after Boot's own customizer has set the main port, from which the default compat port derives. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The port the compatibility listener is bound to, once the web server runs; empty when it is disabled. */
    public OptionalInt localPort() {
        int known = boundPort;
        if (known > 0) {
            return OptionalInt.of(known);
        }
        Connector compat = connector;
        if (compat == null) {
            return OptionalInt.empty();
        }
        // Tomcat looks the port up by reflection on every call, and the filter asks on every request: remember
        // it once the connector is bound (it does not change while the server runs).
        int port = compat.getLocalPort();
        if (port <= 0) {
            return OptionalInt.empty();
        }
        boundPort = port;
        return OptionalInt.of(port);
    }
}
