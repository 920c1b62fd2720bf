package io.swarmcast.event;

/**
 * One fact about the swarm, as the protocol carries it. The six typed events of docs/protocol.md section 2,
 * plus {@link PassThroughEvent} for the types a producer sends that Swarmcast does not model.
 * Records hold the flat fields of the original specification; {@link FrameCodec} writes them together
 * with the dashboard's {@code data} view.
 */
public sealed interface DashboardEvent
        permits AgentStatusEvent, TaskUpdateEvent, MessageSentEvent, MemoryOperationEvent,
        TopologyChangeEvent, MetricsUpdateEvent, PassThroughEvent {

    /** The wire type, e.g. {@code agent:status}. */
    String type();

    Channel channel();

    /** Milliseconds since the epoch at which the producer saw it happen. */
    long timestamp();

    /** Its causal link (docs/protocol.md 7.12), or null when it carries none. */
    Trace trace();

    /**
     * The swarm the event belongs to, or null for the default swarm (docs/protocol.md section 7.15). Null rather than
     * {@code "default"} so that the default swarm's frames and stored events are exactly what they were before swarms.
     */
    String swarmId();

    /** The same event in another swarm (null: the default swarm). */
    DashboardEvent withSwarmId(String swarmId);

    /** Whether the event goes through the event log (gets a seq, is replayable). Metrics do not. */
    default boolean durable() {
        return channel().durable();
    }

    /**
     * Calls the visitor's method for this event's type. Every record implements it, and every visitor has one
     * method per record, so adding a type to {@code permits} fails to compile until every dispatch handles it
     * (Java 17 has no pattern-matching switch to check that for us).
     */
    <R> R accept(Visitor<R> visitor);

    /** One method per event type: whatever must treat each type differently implements this. */
    interface Visitor<R> {
        R agentStatus(AgentStatusEvent event);

        R taskUpdate(TaskUpdateEvent event);

        R messageSent(MessageSentEvent event);

        R memoryOperation(MemoryOperationEvent event);

        R topologyChange(TopologyChangeEvent event);

        R metricsUpdate(MetricsUpdateEvent event);

        R passThrough(PassThroughEvent event);
    }
}
