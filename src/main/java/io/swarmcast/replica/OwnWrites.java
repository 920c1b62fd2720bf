package io.swarmcast.replica;

import io.swarmcast.agent.AgentChanged;
import io.swarmcast.domain.DomainEvent;
import io.swarmcast.domain.Publication;
import io.swarmcast.memory.MemoryOperationPerformed;
import io.swarmcast.message.MessageSent;
import io.swarmcast.swarm.TopologyChanged;
import io.swarmcast.task.TaskUpdated;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The changes this instance made itself and whose events its tail has not applied yet: for each entity, the seq of
 * its newest such event. The services already hold these changes (a command answers with its result at once), so
 * the fold must not set an entity back to an older event of another instance that arrives before this instance's
 * own newer one (read-your-writes), and need not apply its own events again.
 *
 * <p>A change is noted when it is made, under the domain lock, with its {@link Publication}; its seq comes when the
 * log answers, later and outside the lock (the Redis log's {@code appendThen}). The fold takes in the answered ones
 * before each event ({@link #settle}). An entity with a change still unanswered is left alone by the fold: the tail
 * hands on none of this instance's own entries before their answer came, so an event it hands on meanwhile has a
 * lower seq than that change, and the change wins. All of it runs under the domain lock: the listeners run on the
 * thread that made the change, the fold takes the lock to apply.
 */
final class OwnWrites {

    private record Noted(String entity, Publication publication) {
    }

    private final Map<String, Long> newestOwnSeq = new HashMap<>();
    /** Changes noted whose publication was not seen complete yet, in the order they were made. */
    private final Deque<Noted> unanswered = new ArrayDeque<>();
    /** How many of {@link #unanswered} each entity has. */
    private final Map<String, Integer> unansweredPerEntity = new HashMap<>();
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

    /** Takes in the changes whose seqs are known now (answered), or that failed (not in the log: forgotten). */
    void settle() {
        for (Iterator<Noted> it = unanswered.iterator(); it.hasNext(); ) {
            Noted noted = it.next();
            if (!noted.publication().isDone()) {
                continue;
            }
            it.remove();
            unansweredPerEntity.computeIfPresent(noted.entity(), (entity, count) -> count == 1 ? null : count - 1);
            long seq = noted.publication().seqIfPublished();
            if (seq > 0) {
                newestOwnSeq.merge(noted.entity(), seq, Math::max);
                newestSeq = Math.max(newestSeq, seq);
            }
        }
    }

    /** Whether the event of {@code seq} about {@code entity} is to be applied; forgets the entity once caught up. */
    boolean apply(String entity, long seq) {
        if (unansweredPerEntity.containsKey(entity)) {
            // Our own change to it is on its way and gets a later seq than this event: it wins.
            return false;
        }
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
        settle();
        return newestSeq > appliedSeq || !unanswered.isEmpty();
    }

    /** After a break in the history (a new epoch): seqs restart, so what was noted means nothing any more. */
    void clear() {
        newestOwnSeq.clear();
        unanswered.clear();
        unansweredPerEntity.clear();
        newestSeq = 0;
    }

    /** Drops what the fold has passed (an event of ours it could not read, for instance), to stay bounded. */
    void forgetUpTo(long appliedSeq) {
        if (newestOwnSeq.size() > 10_000) {
            newestOwnSeq.values().removeIf(seq -> seq <= appliedSeq);
        }
    }

    // Order 50: after the publisher (order 0), which has published the event (or queued it for its batch's append).

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
        // Made now, under the domain lock; its seq is taken in by settle() once the log answered. An ephemeral or
        // failed publication (seq 0, or failed) is not in the log: nothing of it will come back through the tail.
        unanswered.add(new Noted(entity, event.publication()));
        unansweredPerEntity.merge(entity, 1, Integer::sum);
    }
}
