package io.swarmcast.config;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Spring Boot's {@code Property / Value / Reason} report for a setting out of its range, with the setting named
 * as operators write it ({@code swarmcast.limits.max-frame-size}): for a record, Boot's own analyzer names the
 * Java component ({@code swarmcast.limits.maxFrameSize}). Runs before it, for {@code swarmcast.*} only.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class SettingValidationFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
        StringBuilder description = new StringBuilder("Invalid Swarmcast settings:\n");
        boolean any = false;
        for (ObjectError error : cause.getValidationErrors()) {
            if (!(error instanceof FieldError field)) {
                continue;
            }
            String name = kebab(field.getObjectName() + "." + field.getField());
            if (!name.startsWith(UnknownSettings.PREFIX + ".")) {
                return null;
            }
            any = true;
            description.append("\n    Property: ").append(name)
                    .append("\n    Value: \"").append(field.getRejectedValue()).append('"')
                    .append("\n    Reason: ").append(field.getDefaultMessage()).append('\n');
        }
        if (!any) {
            return null;
        }
        return new FailureAnalysis(description.toString(), "Correct the value. Every swarmcast.* setting is listed, with"
                + " its default and range, in application.yml and the README's configuration section.", cause);
    }

    private static String kebab(String dotted) {
        StringBuilder out = new StringBuilder();
        for (String part : dotted.split("\\.")) {
            out.append(out.isEmpty() ? "" : ".").append(SettingNames.kebab(part));
        }
        return out.toString();
    }
}
