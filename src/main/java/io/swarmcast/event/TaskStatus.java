package io.swarmcast.event;

/** The lifecycle states of a task. */
public enum TaskStatus implements WireEnum {
    PENDING,
    ASSIGNED,
    RUNNING,
    COMPLETED,
    FAILED;

    @Override
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
