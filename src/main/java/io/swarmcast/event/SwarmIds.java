package io.swarmcast.event;

import java.util.regex.Pattern;

/**
 * Swarm ids as the wire carries them (docs/protocol.md section 7.15). Inside the server the default swarm is
 * {@code null}: its events carry no {@code swarmId}, so its frames, its stored events and every client that never
 * names a swarm see exactly what they saw before there were several swarms. {@code "default"} on the wire means it.
 */
public final class SwarmIds {

    /** The name of the swarm every event without a {@code swarmId} belongs to. */
    public static final String DEFAULT = "default";

    public static final int MAX_LENGTH = 64;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    /** What a valid id looks like, for error messages. */
    public static final String RULE = "1 to " + MAX_LENGTH + " characters from A-Z a-z 0-9 . _ - (starting with a letter or digit)";

    private SwarmIds() {
    }

    /** Whether {@code id} may name a swarm ({@code "default"} included). */
    public static boolean valid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** The internal form of a valid wire id: null for the default swarm, else the id. */
    public static String internal(String wireId) {
        return wireId == null || DEFAULT.equals(wireId) ? null : wireId;
    }

    /** The wire name of an internal id: {@code "default"} for null. */
    public static String name(String swarmId) {
        return swarmId == null ? DEFAULT : swarmId;
    }
}
