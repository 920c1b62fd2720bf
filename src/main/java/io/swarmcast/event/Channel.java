package io.swarmcast.event;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The six channels a client can subscribe to. {@code metrics} is ephemeral: never stored or replayed. */
public enum Channel {
    AGENTS("agents"),
    TASKS("tasks"),
    MESSAGES("messages"),
    MEMORY("memory"),
    TOPOLOGY("topology"),
    METRICS("metrics");

    /** Every channel whose events go through the event log and so can be replayed. */
    public static final Set<Channel> DURABLE = EnumSet.complementOf(EnumSet.of(METRICS));

    /** The names as clients write them, in protocol order, for error messages. */
    public static final String ALLOWED = Arrays.stream(values()).map(Channel::wireName).collect(Collectors.joining(", "));

    private final String wireName;

    Channel(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean durable() {
        return this != METRICS;
    }

    public static Optional<Channel> fromWire(String name) {
        for (Channel channel : values()) {
            if (channel.wireName.equals(name)) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }
}
