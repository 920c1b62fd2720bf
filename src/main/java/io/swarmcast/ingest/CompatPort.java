package io.swarmcast.ingest;

import io.swarmcast.SwarmcastProperties;
import lombok.RequiredArgsConstructor;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

import java.util.OptionalInt;

/**
 * The Claude Flow CLI's compatibility listener: a second connector of the same web server (default port + 1,
 * {@code swarmcast.compat-port}, off with {@code swarmcast.compat-enabled=false}), where only
 * {@code POST /event} is served ({@link CompatPortFilter}). Running inside the same server means the same
 * limits, errors, metrics and lifecycle as the main port.
 */
@RequiredArgsConstructor
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
        Connector compat = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        compat.setPort(properties.effectiveCompatPort(factory.getPort()));
        compat.setProperty("address", properties.host());
        factory.addAdditionalConnectors(compat);
        connector = compat;
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
