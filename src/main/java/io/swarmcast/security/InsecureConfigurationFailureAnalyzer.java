package io.swarmcast.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link InsecureConfigurationException} into Spring Boot's "APPLICATION FAILED TO START" report: what is
 * wrong and which setting fixes it, instead of a wall of bean-creation stack traces.
 */
class InsecureConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InsecureConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InsecureConfigurationException cause) {
        return new FailureAnalysis(cause.getProblem(), cause.getFix(), cause);
    }
}
