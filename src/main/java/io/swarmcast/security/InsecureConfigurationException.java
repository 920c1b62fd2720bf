package io.swarmcast.security;

import lombok.Getter;

/**
 * The configuration would run the server unsafely (exposed without tokens, or with a token too weak to keep):
 * it does not start. {@link InsecureConfigurationFailureAnalyzer} prints {@code problem} and {@code fix} as Spring
 * Boot's failure report. Neither ever contains a token.
 */
@Getter
public class InsecureConfigurationException extends RuntimeException {

    private final String problem;
    private final String fix;

    InsecureConfigurationException(String problem, String fix) {
        super(problem + " " + fix, null, false, false);
        this.problem = problem;
        this.fix = fix;
    }

    static InsecureConfigurationException exposedWithoutTokens(String address) {
        return new InsecureConfigurationException(
                "Swarmcast would listen on " + address + ", beyond this machine, without authentication.",
                "Set tokens (swarmcast.auth.producer-tokens and swarmcast.auth.viewer-tokens, or the environment variables "
                        + "SWARMCAST_PRODUCER_TOKEN and SWARMCAST_VIEWER_TOKEN), or set swarmcast.auth.allow-anonymous=true "
                        + "to accept anyone who can reach the port, or bind swarmcast.host to localhost. See docs/security.md.");
    }

    static InsecureConfigurationException weakToken(String property, int index) {
        return new InsecureConfigurationException(
                "Token " + (index + 1) + " of " + property + " is not a usable token.",
                "Tokens must be 16 to 512 characters from A-Z a-z 0-9 . _ ~ - (they travel in URLs and WebSocket "
                        + "subprotocols); generate one with: openssl rand -hex 32");
    }
}
