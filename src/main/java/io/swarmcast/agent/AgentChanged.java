package io.swarmcast.agent;

import io.swarmcast.domain.DomainEvent;
import io.swarmcast.domain.Publication;

/** Raised after every change to an agent, carrying the agent as it is now. The publisher fills in its {@link Publication}. */
public record AgentChanged(Agent agent, Publication publication, String swarmId) implements DomainEvent {

    /** @param swarmId the swarm whose service raised it; null for the default swarm */
    public AgentChanged(Agent agent, String swarmId) {
        this(agent, new Publication(), swarmId);
    }
}
