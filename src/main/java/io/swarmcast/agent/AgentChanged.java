package io.swarmcast.agent;

import io.swarmcast.domain.DomainEvent;
import io.swarmcast.domain.Publication;

/** Raised after every change to an agent, carrying the agent as it is now. The publisher fills in its {@link Publication}. */
public record AgentChanged(Agent agent, Publication publication) implements DomainEvent {

    public AgentChanged(Agent agent) {
        this(agent, new Publication());
    }
}
