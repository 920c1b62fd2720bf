package io.swarmcast.event;

/** The six states of an agent. */
public enum AgentStatus implements WireEnum {
    SPAWNING,
    ACTIVE,
    IDLE,
    BUSY,
    ERROR,
    STOPPED;

    @Override
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
