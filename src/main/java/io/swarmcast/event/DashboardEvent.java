package io.swarmcast.event;

/**
 * One fact about the swarm, as the protocol carries it. The six typed events of PROTOCOL.md section 2,
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

    /** Whether the event goes through the event log (gets a seq, is replayable). Metrics do not. */
    default boolean durable() {
        return channel().durable();
    }
}
