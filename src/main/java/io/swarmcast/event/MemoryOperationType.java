package io.swarmcast.event;

/** What was done to shared memory. */
public enum MemoryOperationType implements WireEnum {
    STORE,
    RETRIEVE,
    SEARCH,
    DELETE,
    UPDATE;

    @Override
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
