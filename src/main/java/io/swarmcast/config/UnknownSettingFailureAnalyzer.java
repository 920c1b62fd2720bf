package io.swarmcast.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link UnknownSettingException} into Spring Boot's "APPLICATION FAILED TO START" report. */
class UnknownSettingFailureAnalyzer extends AbstractFailureAnalyzer<UnknownSettingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownSettingException cause) {
        String action = (cause.getSuggestion() != null ? "Did you mean " + cause.getSuggestion() + "? " : "")
                + "Correct or remove it. Every swarmcast.* setting is listed, with its default, in application.yml"
                + " and the README's configuration section.";
        return new FailureAnalysis(cause.getMessage(), action, cause);
    }
}
