package io.swarmcast.agent;

/** Raised after every change to an agent, carrying the agent as it is now. */
public record AgentChanged(Agent agent) {
}
