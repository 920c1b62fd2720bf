package io.swarmcast.swarm;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.agent.AgentChanged;
import io.swarmcast.agent.AgentService;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.domain.InvalidRequestException;
import io.swarmcast.domain.NotFoundException;
import io.swarmcast.event.SwarmIds;
import io.swarmcast.memory.MemoryService;
import io.swarmcast.message.MessageBus;
import io.swarmcast.task.TaskService;
import io.swarmcast.web.ApiError;
import io.swarmcast.web.ApiException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every swarm this server holds (docs/protocol.md section 7.15): the default swarm, made of the service beans, and
 * the swarms producers named since the start, each with services of its own. A swarm is made the first time an id
 * is used for writing (ingest with a {@code swarmId}, {@code POST /api/swarm/init} with one) and lasts until the
 * server stops. Their number is bounded by {@code limits.max-swarms}, since every id a producer can send costs memory.
 *
 * <p>All swarms share the one domain lock and the one event log: an event's {@code swarmId} says which swarm it is
 * about, and the default swarm's events carry none. The services raise their events through the application's
 * publisher, stamped with their swarm; this class routes an agent's change to its own swarm's coordinator.
 */
@Slf4j
@Component
public class Swarms {

    private final Swarm defaultSwarm;
    /** The other swarms by id; only grown, under the domain lock, so readers need no lock. */
    private final Map<String, Swarm> others = new ConcurrentHashMap<>();
    private final DomainLock lock;
    private final ApplicationEventPublisher events;
    private final ObjectMapper mapper;
    private final SwarmcastProperties properties;
    private final int maxSwarms;
    private final long startedAt = System.currentTimeMillis();

    Swarms(DomainLock lock, AgentService agents, TaskService tasks, MessageBus messages, MemoryService memory,
           SwarmCoordinator coordinator, ApplicationEventPublisher events, ObjectMapper mapper,
           SwarmcastProperties properties) {
        this.lock = lock;
        this.events = events;
        this.mapper = mapper;
        this.properties = properties;
        this.maxSwarms = properties.limits().maxSwarms();
        this.defaultSwarm = new Swarm(null, agents, tasks, messages, memory, coordinator, startedAt);
    }

    public Swarm defaultSwarm() {
        return defaultSwarm;
    }

    /** The swarm of an internal id (null: the default swarm), if this server holds it. */
    public Optional<Swarm> find(String swarmId) {
        return swarmId == null ? Optional.of(defaultSwarm) : Optional.ofNullable(others.get(swarmId));
    }

    /** Whether a swarm of this internal id exists. */
    public boolean exists(String swarmId) {
        return swarmId == null || others.containsKey(swarmId);
    }

    /** The swarm of an internal id, or 404 {@code not_found}. */
    public Swarm require(String swarmId) {
        return find(swarmId).orElseThrow(() -> new NotFoundException("swarm", swarmId));
    }

    /**
     * The swarm of an internal id, made now if it is new: the way every write names a swarm.
     *
     * @throws ApiException 429 {@code too_many_swarms} when it is new and {@code limits.max-swarms} are held already
     */
    public Swarm obtain(String swarmId) {
        return find(swarmId).orElseGet(() -> lock.call(() -> create(swarmId, true)));
    }

    /**
     * Like {@link #obtain} but past the bound: for events another instance already accepted into the shared log
     * (its own bound applied there), which this instance must fold whatever its count.
     */
    public Swarm obtainFromLog(String swarmId) {
        return find(swarmId).orElseGet(() -> lock.call(() -> create(swarmId, false)));
    }

    /** Makes the swarms of every id of one request at once, or none: a request over the bound is refused before anything of it is applied. */
    public void obtainAll(Iterable<String> swarmIds) {
        lock.run(() -> {
            Set<String> fresh = new LinkedHashSet<>();
            for (String id : swarmIds) {
                if (!exists(id)) {
                    fresh.add(id);
                }
            }
            if (!fresh.isEmpty() && count() + fresh.size() > maxSwarms) {
                throw tooMany(fresh.iterator().next());
            }
            fresh.forEach(this::obtain);
        });
    }

    /** Every swarm: the default first, then the others in the order they were made. */
    public List<Swarm> all() {
        List<Swarm> all = new ArrayList<>(others.size() + 1);
        all.add(defaultSwarm);
        List<Swarm> rest = new ArrayList<>(others.values());
        rest.sort((a, b) -> a.createdAt() != b.createdAt() ? Long.compare(a.createdAt(), b.createdAt()) : a.id().compareTo(b.id()));
        all.addAll(rest);
        return all;
    }

    /** {@code limits.max-swarms}: the most swarms held at once, the default one included. */
    public int maxSwarms() {
        return maxSwarms;
    }

    /**
     * The internal id a request names in {@code field} (a query parameter or a body field): absent or
     * {@code "default"} is the default swarm (null).
     *
     * @throws InvalidRequestException 400 {@code invalid_field} when it is no valid swarm id
     */
    public static String fromRequest(String field, String name) {
        if (name == null) {
            return null;
        }
        if (!SwarmIds.valid(name)) {
            throw new InvalidRequestException(field, field + " must be a swarm id: " + SwarmIds.RULE);
        }
        return SwarmIds.internal(name);
    }

    /** Swarms held, the default one included. */
    public int count() {
        return others.size() + 1;
    }

    private Swarm create(String swarmId, boolean bounded) {
        Swarm existing = others.get(swarmId);
        if (existing != null) {
            return existing;
        }
        if (bounded && count() >= maxSwarms) {
            throw tooMany(swarmId);
        }
        AgentService agents = new AgentService(lock, events, swarmId);
        TaskService tasks = new TaskService(lock, agents, events, properties, swarmId);
        Swarm swarm = new Swarm(swarmId, agents, tasks, new MessageBus(lock, agents, events, mapper, swarmId),
                new MemoryService(lock, events, mapper, swarmId), new SwarmCoordinator(lock, agents, events, swarmId),
                System.currentTimeMillis());
        others.put(swarmId, swarm);
        log.info("swarm '{}' created ({} of at most {})", swarmId, count(), maxSwarms);
        return swarm;
    }

    private ApiException tooMany(String swarmId) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, ApiError.TOO_MANY_SWARMS,
                "swarm '" + swarmId + "' would be one more than limits.max-swarms (" + maxSwarms
                        + "); swarms last until the server restarts", "swarmId", null, null);
    }

    /** An agent of another swarm changed: its own coordinator keeps that swarm's topology in step (the bean does the default's). */
    @EventListener
    @Order(100)
    void onAgentChanged(AgentChanged changed) {
        if (changed.swarmId() != null) {
            find(changed.swarmId()).ifPresent(swarm -> swarm.coordinator().onAgentChanged(changed));
        }
    }
}
