package io.swarmcast.event;

/** What a message between agents is for. */
public enum MessageType implements WireEnum {
    TASK,
    RESPONSE,
    QUERY,
    BROADCAST,
    ERROR;

    @Override
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
