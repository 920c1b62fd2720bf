package io.swarmcast.launch;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.ingest.CompatPort;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Says where things are once the server is ready: one INFO block with the dashboard, WebSocket, ingest and
 * health URLs on the ports actually bound (not the configured ones, which may be 0), the event log and
 * whether clients need a token. It is the first thing a newcomer looks for in the log.
 */
@Slf4j
@Component
class StartupReport {

    /** Read by name, so this works whichever way the security settings are bound. */
    static final String VIEWER_TOKENS = "swarmcast.auth.viewer-tokens";
    static final String PRODUCER_TOKENS = "swarmcast.auth.producer-tokens";

    private final SwarmcastProperties properties;
    private final CompatPort compatPort;
    private final Environment environment;

    StartupReport(SwarmcastProperties properties, CompatPort compatPort, Environment environment) {
        this.properties = properties;
        this.compatPort = compatPort;
        this.environment = environment;
    }

    @EventListener
    void onReady(ApplicationReadyEvent ready) {
        if (!(ready.getApplicationContext() instanceof WebServerApplicationContext web) || web.getWebServer() == null) {
            return;
        }
        log.info(report(web.getWebServer().getPort()));
    }

    String report(int port) {
        String host = reachableHost(environment.getProperty("server.address", properties.host()));
        return report(BuildVersion.current(), host, port, compatPort.localPort(),
                properties.log().type().name().toLowerCase(Locale.ROOT),
                tokens(environment, VIEWER_TOKENS), tokens(environment, PRODUCER_TOKENS));
    }

    static String report(String version, String host, int port, OptionalInt compat, String logType, int viewerTokens,
                         int producerTokens) {
        String http = "http://" + host + ":" + port;
        String compatLine = compat.isPresent()
                ? "POST http://" + host + ":" + compat.getAsInt() + "/event (Claude Flow CLI)"
                : "off (POST /event works on the main port)";
        String auth = viewerTokens + producerTokens == 0
                ? "off (anyone who can reach the port may watch and post)"
                : "on (" + viewerTokens + " viewer token(s), " + producerTokens + " producer token(s))";
        return String.join(System.lineSeparator(),
                "Swarmcast " + version + " is ready",
                "  dashboard:   " + http + "/",
                "  WebSocket:   ws://" + host + ":" + port + "/ (also /ws)",
                "  ingest:      POST " + http + "/api/events, POST " + http + "/event",
                "  compat port: " + compatLine,
                "  event log:   " + logType + " (swarmcast.log.type)",
                "  auth:        " + auth,
                "  health:      " + http + "/actuator/health");
    }

    /** Non-blank tokens under the property, given as a comma-separated value or as a YAML list. */
    static int tokens(Environment environment, String property) {
        List<String> values = Binder.get(environment).bind(property, Bindable.listOf(String.class)).orElse(List.of());
        return (int) values.stream().filter(value -> value != null && !value.isBlank()).count();
    }

    /** Where a browser on this machine reaches a server bound to {@code host}: a wildcard bind answers on localhost. */
    static String reachableHost(String host) {
        if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "localhost";
        }
        if (host.contains(":") && !host.startsWith("[")) {
            return "[" + host + "]";
        }
        return host;
    }
}
