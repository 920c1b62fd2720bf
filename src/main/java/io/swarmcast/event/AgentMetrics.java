package io.swarmcast.event;

import lombok.Builder;

/** Resource use of one agent; any part may be unknown (null). */
@Builder
public record AgentMetrics(Double cpu, Double memory, Long messageCount, Long tasksCompleted, Long tasksFailed) {
}
