package io.swarmcast.event;

/** Resource use of one agent; any part may be unknown (null). */
public record AgentMetrics(Double cpu, Double memory, Long messageCount, Long tasksCompleted, Long tasksFailed) {
}
