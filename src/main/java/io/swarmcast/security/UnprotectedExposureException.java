package io.swarmcast.security;

import lombok.Getter;

/** The server would listen beyond loopback with no token and without {@code swarmcast.auth.allow-anonymous}. */
@Getter
public class UnprotectedExposureException extends RuntimeException {

    private final String address;

    UnprotectedExposureException(String address) {
        super("Refusing to listen on " + address + " without authentication: set swarmcast.auth.producer-tokens and "
                + "swarmcast.auth.viewer-tokens (SWARMCAST_PRODUCER_TOKEN, SWARMCAST_VIEWER_TOKEN), or "
                + "swarmcast.auth.allow-anonymous=true to accept anyone who can reach the port, or bind "
                + "swarmcast.host to localhost", null, false, false);
        this.address = address;
    }
}
