package io.swarmcast.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code metrics:update}: the swarm's rates, pushed every second. Ephemeral: never stored or replayed.
 *
 * @param connectedClients dashboards connected to this server, when the server filled it in
 * @param eventsPerSecond  durable events published over the last second, when the server filled it in
 */
public record MetricsUpdateEvent(int activeAgents, int pendingTasks, double messagesPerSecond,
                                 double memoryOpsPerSecond, Integer connectedClients, Double eventsPerSecond,
                                 long timestamp,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) String swarmId) implements DashboardEvent {

    /** An event of the default swarm (no {@code swarmId} on the wire). */
    public MetricsUpdateEvent(int activeAgents, int pendingTasks, double messagesPerSecond,
                                 double memoryOpsPerSecond, Integer connectedClients, Double eventsPerSecond,
                                 long timestamp) {
        this(activeAgents, pendingTasks, messagesPerSecond, memoryOpsPerSecond, connectedClients, eventsPerSecond, timestamp, null);
    }

    public static final String TYPE = "metrics:update";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Channel channel() {
        return Channel.METRICS;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.metricsUpdate(this);
    }

    @Override
    public MetricsUpdateEvent withSwarmId(String swarmId) {
        return new MetricsUpdateEvent(activeAgents, pendingTasks, messagesPerSecond, memoryOpsPerSecond, connectedClients, eventsPerSecond, timestamp, swarmId);
    }
}
