package io.swarmcast.server;

import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.MemoryOperationEvent;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MetricsUpdateEvent;
import io.swarmcast.event.PassThroughEvent;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.TopologyChangeEvent;

/**
 * What a live frame is the latest state of, for a conflating client ({@link Conflation}): a newer frame with the
 * same key makes an older one waiting for that client redundant. Worked out once per event, where its frame is
 * made ({@link FanOut}), and shared by every client, so conflating costs no per-client look at the event.
 *
 * <p>An {@code agent:status} and a {@code task:update} carry the whole agent or task as the server knows it, a
 * {@code topology:change} the whole swarm, a {@code metrics:update} every figure: each is the entity's latest
 * state, so the newest one alone brings a client up to date. Messages, memory operations and pass-through events
 * are things that happened, not states: they have no latest, hence no key ({@link #of} returns null), and a
 * conflating client behind its threshold skips them and is told how many.
 *
 * <p>The key includes the swarm: agent {@code a1} of two swarms are two agents (docs/protocol.md 7.15). A connection
 * watches one swarm, so its queue never holds two swarms' frames today; the swarm in the key keeps that true by
 * construction rather than by that rule.
 *
 * @param swarmId the event's swarm, null for the default one
 * @param id      the agent's or task's id; the channel's name for topology and metrics, which have one state each
 */
record ConflationKey(String swarmId, Channel channel, String id) {

    private static final ConflationKey TOPOLOGY = new ConflationKey(null, Channel.TOPOLOGY, "topology");
    private static final ConflationKey METRICS = new ConflationKey(null, Channel.METRICS, "metrics");

    /** A key of the default swarm. */
    ConflationKey(Channel channel, String id) {
        this(null, channel, id);
    }

    private static final DashboardEvent.Visitor<ConflationKey> KEYS = new DashboardEvent.Visitor<>() {
        @Override
        public ConflationKey agentStatus(AgentStatusEvent event) {
            return new ConflationKey(event.swarmId(), Channel.AGENTS, event.agentId());
        }

        @Override
        public ConflationKey taskUpdate(TaskUpdateEvent event) {
            return new ConflationKey(event.swarmId(), Channel.TASKS, event.taskId());
        }

        @Override
        public ConflationKey messageSent(MessageSentEvent event) {
            return null;
        }

        @Override
        public ConflationKey memoryOperation(MemoryOperationEvent event) {
            // A memory operation is a log entry (reads and searches included), not the state of a key.
            return null;
        }

        @Override
        public ConflationKey topologyChange(TopologyChangeEvent event) {
            return event.swarmId() == null ? TOPOLOGY : new ConflationKey(event.swarmId(), Channel.TOPOLOGY, "topology");
        }

        @Override
        public ConflationKey metricsUpdate(MetricsUpdateEvent event) {
            return event.swarmId() == null ? METRICS : new ConflationKey(event.swarmId(), Channel.METRICS, "metrics");
        }

        @Override
        public ConflationKey passThrough(PassThroughEvent event) {
            return null;
        }
    };

    /** The event's key, or null when it is not a state (a message, a memory operation, a pass-through event). */
    static ConflationKey of(DashboardEvent event) {
        return event.accept(KEYS);
    }
}
