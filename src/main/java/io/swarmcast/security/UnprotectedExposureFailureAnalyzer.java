package io.swarmcast.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link UnprotectedExposureException} into Spring Boot's "APPLICATION FAILED TO START" report: what is
 * wrong and how to fix it, instead of a wall of bean-creation stack traces.
 */
class UnprotectedExposureFailureAnalyzer extends AbstractFailureAnalyzer<UnprotectedExposureException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnprotectedExposureException cause) {
        return new FailureAnalysis(
                "Swarmcast would listen on " + cause.getAddress() + ", beyond this machine, without authentication.",
                "Set tokens (swarmcast.auth.producer-tokens and swarmcast.auth.viewer-tokens, or the environment "
                        + "variables SWARMCAST_PRODUCER_TOKEN and SWARMCAST_VIEWER_TOKEN), or set "
                        + "swarmcast.auth.allow-anonymous=true to accept anyone who can reach the port, or bind "
                        + "swarmcast.host to localhost. See docs/security.md.",
                cause);
    }
}
