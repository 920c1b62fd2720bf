package io.swarmcast.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code metrics:update}: the swarm's rates, pushed every second. Ephemeral: never stored or replayed.
 *
 * @param connectedClients dashboards connected to this server (with the Redis log, to every instance sharing it),
 *                         when the server filled it in
 * @param eventsPerSecond  durable events published over the last second, when the server filled it in
 * @param trace            its causal link, if a producer posted one (echoed; metrics are never stored, so never traced)
 * @param swarmId          its swarm, null for the default one (docs/protocol.md 7.15)
 */
public record MetricsUpdateEvent(int activeAgents, int pendingTasks, double messagesPerSecond,
                                 double memoryOpsPerSecond, Integer connectedClients, Double eventsPerSecond,
                                 long timestamp,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) Trace trace,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) String swarmId)
        implements DashboardEvent {
    public static final String TYPE = "metrics:update";

    /** Without a causal link, in the default swarm. */
    public MetricsUpdateEvent(int activeAgents, int pendingTasks, double messagesPerSecond, double memoryOpsPerSecond,
                              Integer connectedClients, Double eventsPerSecond, long timestamp) {
        this(activeAgents, pendingTasks, messagesPerSecond, memoryOpsPerSecond, connectedClients, eventsPerSecond,
                timestamp, null, null);
    }

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
        return new MetricsUpdateEvent(activeAgents, pendingTasks, messagesPerSecond, memoryOpsPerSecond, connectedClients, eventsPerSecond,
                timestamp, trace, swarmId);
    }
}
