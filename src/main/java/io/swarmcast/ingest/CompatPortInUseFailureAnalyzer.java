package io.swarmcast.ingest;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a taken {@code swarmcast.compat-port} into Spring Boot's short "APPLICATION FAILED TO START" report,
 * naming the port and what to do, instead of a stack trace (registered in META-INF/spring.factories).
 */
class CompatPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<CompatPortInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CompatPortInUseException cause) {
        return new FailureAnalysis(
                "Port " + cause.port() + " for the Claude Flow CLI compatibility listener (swarmcast.compat-port) is already in use.",
                "Stop the process listening on port " + cause.port() + ", choose another port with --swarmcast.compat-port=N "
                        + "(0 picks a free one), or turn the listener off with --swarmcast.compat-enabled=false.",
                cause);
    }
}
