package io.swarmcast.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import lombok.Builder;

/**
 * {@code agent:status}: an agent appeared, changed state or stopped.
 *
 * @param task      the task the agent works on, if any
 * @param createdAt when the agent was spawned, if known
 * @param trace     its causal link, if any
 * @param swarmId   its swarm, null for the default one (docs/protocol.md 7.15)
 */
@Builder(toBuilder = true)
public record AgentStatusEvent(String agentId, String name, String agentType, AgentStatus status, String task,
                               AgentMetrics metrics, Long createdAt, long timestamp,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Trace trace,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String swarmId)
        implements DashboardEvent {
    public static final String TYPE = "agent:status";

    /** Without a causal link, in the default swarm. */
    public AgentStatusEvent(String agentId, String name, String agentType, AgentStatus status, String task,
                            AgentMetrics metrics, Long createdAt, long timestamp) {
        this(agentId, name, agentType, status, task, metrics, createdAt, timestamp, null, null);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Channel channel() {
        return Channel.AGENTS;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.agentStatus(this);
    }

    @Override
    public AgentStatusEvent withSwarmId(String swarmId) {
        return toBuilder().swarmId(swarmId).build();
    }
}
