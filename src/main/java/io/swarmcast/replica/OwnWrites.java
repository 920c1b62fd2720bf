package io.swarmcast.replica;

import io.swarmcast.agent.AgentChanged;
import io.swarmcast.domain.DomainEvent;
import io.swarmcast.memory.MemoryOperationPerformed;
import io.swarmcast.message.MessageSent;
import io.swarmcast.swarm.TopologyChanged;
import io.swarmcast.task.TaskUpdated;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

import java.util.HashMap;
import java.util.Map;

/**
 * The changes this instance made itself and whose events its tail has not applied yet: for each entity, the seq of
 * its newest such event. The services already hold these changes (a command answers with its result at once), so
 * the fold must not set an entity back to an older event of another instance that arrives before this instance's
 * own newer one (read-your-writes), and need not apply its own events again. All of it runs under the domain lock:
 * the listeners run on the thread that made the change, the fold takes the lock to apply.
 */
final class OwnWrites {

    private final Map<String, Long> newestOwnSeq = new HashMap<>();
    private long newestSeq;

    // Entities are keyed by swarm too: ids are unique per swarm only (null is the default swarm).

    static String agent(String swarmId, String id) {
        return swarmId + "\u0000agent:" + id;
    }

    static String task(String swarmId, String id) {
        return swarmId + "\u0000task:" + id;
    }

    static String memory(String swarmId, String namespace, String key) {
        return swarmId + "\u0000memory:" + namespace + '\u0000' + key;
    }

    static String message(String swarmId, String id) {
        return swarmId + "\u0000message:" + id;
    }

    static String topology(String swarmId) {
        return swarmId + "\u0000topology";
    }

    /** Whether the event of {@code seq} about {@code entity} is to be applied; forgets the entity once caught up. */
    boolean apply(String entity, long seq) {
        Long own = newestOwnSeq.get(entity);
        if (own == null) {
            return true;
        }
        if (own <= seq) {
            newestOwnSeq.remove(entity);
        }
        // Older than our own newer change (which will follow and wins), or our own change itself: already applied.
        return own < seq;
    }

    /** Whether changes of this instance are ahead of what the fold applied up to {@code appliedSeq}. */
    boolean ahead(long appliedSeq) {
        return newestSeq > appliedSeq;
    }

    /** After a break in the history (a new epoch): seqs restart, so what was noted means nothing any more. */
    void clear() {
        newestOwnSeq.clear();
        newestSeq = 0;
    }

    /** Drops what the fold has passed (an event of ours it could not read, for instance), to stay bounded. */
    void forgetUpTo(long appliedSeq) {
        if (newestOwnSeq.size() > 10_000) {
            newestOwnSeq.values().removeIf(seq -> seq <= appliedSeq);
        }
    }

    // Order 50: after the publisher (order 0), which completes the publication with the seq.

    @EventListener
    @Order(50)
    void agentChanged(AgentChanged changed) {
        note(agent(changed.swarmId(), changed.agent().id()), changed);
    }

    @EventListener
    @Order(50)
    void taskUpdated(TaskUpdated updated) {
        note(task(updated.swarmId(), updated.task().id()), updated);
    }

    @EventListener
    @Order(50)
    void topologyChanged(TopologyChanged changed) {
        note(topology(changed.swarmId()), changed);
    }

    @EventListener
    @Order(50)
    void messageSent(MessageSent sent) {
        note(message(sent.swarmId(), sent.message().id()), sent);
    }

    @EventListener
    @Order(50)
    void memoryOperation(MemoryOperationPerformed performed) {
        if (performed.operation().key() != null) {
            note(memory(performed.swarmId(), performed.operation().namespace(), performed.operation().key()), performed);
        }
    }

    private void note(String entity, DomainEvent event) {
        // Published now, or (inside an ingest batch, which is appended together) at the batch's end, still under the
        // domain lock, so before the fold can take it to apply the event. A failed publication is not in the log:
        // nothing of it will come back through the tail.
        event.publication().whenPublished(seq -> {
            if (seq > 0) {
                newestOwnSeq.merge(entity, seq, Math::max);
                newestSeq = Math.max(newestSeq, seq);
            }
        });
    }
}
