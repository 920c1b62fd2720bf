package io.swarmcast.event;

/**
 * {@code metrics:update}: the swarm's rates, pushed every second. Ephemeral: never stored or replayed.
 *
 * @param connectedClients dashboards connected to this server (with the Redis log, to every instance sharing it),
 *                         when the server filled it in
 * @param eventsPerSecond  durable events published over the last second, when the server filled it in
 */
public record MetricsUpdateEvent(int activeAgents, int pendingTasks, double messagesPerSecond,
                                 double memoryOpsPerSecond, Integer connectedClients, Double eventsPerSecond,
                                 long timestamp) implements DashboardEvent {
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
}
