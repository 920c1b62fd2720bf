package io.swarmcast.config;

import lombok.Getter;

/** A {@code swarmcast.*} setting that names nothing: a typo, most likely. Reported by {@link UnknownSettingFailureAnalyzer}. */
@Getter
public class UnknownSettingException extends RuntimeException {

    private final String setting;
    private final String source;
    /** The known setting nearest to it, or null when none is near. */
    private final String suggestion;

    UnknownSettingException(String setting, String source, String suggestion) {
        super("Unknown setting " + setting + " (from " + source + ")"
                + (suggestion != null ? "; did you mean " + suggestion + "?" : ""));
        this.setting = setting;
        this.source = source;
        this.suggestion = suggestion;
    }
}
