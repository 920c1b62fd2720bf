package io.swarmcast.security;

import io.swarmcast.SwarmcastProperties;
import lombok.extern.slf4j.Slf4j;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Safe defaults at startup. Without tokens, anyone who can reach the port can read the stream and drive the
 * swarm; that is what a developer wants on loopback and nobody wants on a network. So the server refuses to
 * start when it would listen on anything but a loopback address with no token configured, unless
 * {@code swarmcast.auth.allow-anonymous=true} says so, and then it warns. The check runs while the context is
 * built, before the web server binds its ports; {@link InsecureConfigurationFailureAnalyzer} turns the refusal into
 * one clear message. It also refuses tokens too short or with characters that cannot travel in a URL or a
 * WebSocket subprotocol, naming the setting but never printing the token.
 */
@Slf4j
@Component
public class ExposureGuard {

    /** Unreserved URL characters only: a token travels as a query parameter and as a WebSocket subprotocol. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]{16,512}");

    private final boolean loopbackOnly;

    ExposureGuard(SwarmcastProperties properties, Environment environment) {
        checkTokens("swarmcast.auth.viewer-tokens", properties.auth().viewerTokens());
        checkTokens("swarmcast.auth.producer-tokens", properties.auth().producerTokens());
        // server.address is what Tomcat binds: swarmcast.host, unless someone set server.address itself.
        String address = environment.getProperty("server.address", properties.host());
        this.loopbackOnly = isLoopback(address);
        if (loopbackOnly || properties.auth().enabled()) {
            return;
        }
        if (!properties.auth().allowAnonymous()) {
            throw InsecureConfigurationException.exposedWithoutTokens(address);
        }
        log.warn("Swarmcast listens on {} WITHOUT authentication (swarmcast.auth.allow-anonymous=true): anyone who can "
                + "reach this port can read every event and drive the swarm. Set swarmcast.auth.viewer-tokens and "
                + "swarmcast.auth.producer-tokens (SWARMCAST_VIEWER_TOKEN, SWARMCAST_PRODUCER_TOKEN) to require tokens.",
                address);
    }

    /** Whether the server listens on a loopback address only, so only this machine can reach it. */
    public boolean loopbackOnly() {
        return loopbackOnly;
    }

    private static void checkTokens(String property, List<String> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            if (!TOKEN.matcher(tokens.get(i)).matches()) {
                throw InsecureConfigurationException.weakToken(property, i);
            }
        }
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false; // no address: every interface
        }
        try {
            InetAddress address = InetAddress.getByName(host.trim());
            return address.isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // Tomcat will fail to bind it anyway; never call an unknown address safe
        }
    }
}
