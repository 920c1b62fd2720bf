package io.swarmcast.event;

/** How a swarm is wired. */
public enum Topology implements WireEnum {
    HIERARCHICAL,
    MESH,
    ADAPTIVE;

    @Override
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
