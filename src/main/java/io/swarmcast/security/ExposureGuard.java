package io.swarmcast.security;

import io.swarmcast.SwarmcastProperties;
import lombok.extern.slf4j.Slf4j;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Safe defaults at startup. Without tokens, anyone who can reach the port can read the stream and drive the
 * swarm; that is what a developer wants on loopback and nobody wants on a network. So the server refuses to
 * start when it would listen on anything but a loopback address with no token configured, unless
 * {@code swarmcast.auth.allow-anonymous=true} says so, and then it warns. The check runs while the context is
 * built, before the web server binds its ports; {@link UnprotectedExposureFailureAnalyzer} turns the refusal into
 * one clear message.
 */
@Slf4j
@Component
public class ExposureGuard {

    private final boolean loopbackOnly;

    ExposureGuard(SwarmcastProperties properties, Environment environment) {
        // server.address is what Tomcat binds: swarmcast.host, unless someone set server.address itself.
        String address = environment.getProperty("server.address", properties.host());
        this.loopbackOnly = isLoopback(address);
        if (loopbackOnly || properties.auth().enabled()) {
            return;
        }
        if (!properties.auth().allowAnonymous()) {
            throw new UnprotectedExposureException(address);
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
