package io.swarmcast.server.socket;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.SwarmcastProperties.Delivery.Socket;
import io.swarmcast.server.FrameSocketFactory;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.function.Supplier;

/**
 * Chooses how frames reach the socket, once, at startup ({@code swarmcast.delivery.socket}):
 * {@code direct} writes below the WebSocket API into Tomcat's socket and refuses to start when this Tomcat's
 * internals do not match; {@code standard} uses only the Jakarta WebSocket API; {@code auto} (the default)
 * takes {@code direct} when the internals match, and otherwise logs one warning with the reason and takes
 * {@code standard}.
 */
@Slf4j
@Configuration(proxyBeanMethods = false)
class FrameSocketConfiguration {

    @Bean
    FrameSocketFactory frameSocketFactory(SwarmcastProperties properties) {
        FrameSocketFactory chosen = choose(properties.delivery().socket(),
                properties.limits().sendTimeLimit().toMillis(), TomcatInternals::load);
        log.info("frames are written through the {} socket path", chosen.name());
        return chosen;
    }

    /** @param internals looks up Tomcat's internals, or throws {@link IllegalStateException} naming what is wrong */
    static FrameSocketFactory choose(Socket setting, long timeoutMillis, Supplier<TomcatInternals> internals) {
        return switch (setting) {
            case STANDARD -> new StandardFrameSockets(timeoutMillis);
            case DIRECT -> new TomcatFrameSockets(directInternals(internals), timeoutMillis);
            case AUTO -> automatic(timeoutMillis, internals);
        };
    }

    private static FrameSocketFactory automatic(long timeoutMillis, Supplier<TomcatInternals> internals) {
        try {
            return new TomcatFrameSockets(internals.get(), timeoutMillis);
        } catch (IllegalStateException e) {
            log.warn("the direct socket path cannot be used on this server ({}); frames go through the standard "
                    + "WebSocket API instead", e.getMessage());
            return new StandardFrameSockets(timeoutMillis);
        }
    }

    private static TomcatInternals directInternals(Supplier<TomcatInternals> internals) {
        try {
            return internals.get();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("swarmcast.delivery.socket=direct, but " + e.getMessage()
                    + "; use auto or standard", e);
        }
    }
}
