package io.swarmcast.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.regex.Pattern;

/**
 * The causal link an event may carry (docs/protocol.md 7.12): {@code traceId} groups the events of one piece of
 * work (an agent's task, the message that started it, the memory operations it caused), {@code parentId} names what
 * directly caused this event within it. Either may be absent; a trace is formed by {@code traceId} alone, so an
 * event with only a {@code parentId} is in no trace (the link is kept and echoed, but nothing groups it).
 *
 * <p>Both are opaque to the server: at most {@link #MAX_LENGTH} characters from {@code A-Z a-z 0-9 . _ : @ -}, so
 * an id fits a URL path segment ({@code GET /api/trace/{traceId}}) unescaped and a log line unquoted; a W3C trace
 * id (32 hex digits), a UUID or {@code task-17} all pass. Bounded, so a link costs at most a few hundred bytes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Trace(String traceId, String parentId) {

    public static final int MAX_LENGTH = 128;

    /** The characters a trace or parent id may use. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1," + MAX_LENGTH + "}");

    /** What a client is told a valid id looks like. */
    public static final String ID_RULE = "1 to " + MAX_LENGTH + " characters from A-Z a-z 0-9 . _ : @ -";

    /** A trace, or null when both ids are absent (an event without a causal link carries no trace at all). */
    public static Trace of(String traceId, String parentId) {
        return traceId == null && parentId == null ? null : new Trace(traceId, parentId);
    }

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The trace id of an event, or null when it is in no trace. */
    public static String traceIdOf(DashboardEvent event) {
        Trace trace = event.trace();
        return trace == null ? null : trace.traceId();
    }
}
