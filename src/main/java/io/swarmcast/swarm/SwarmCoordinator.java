package io.swarmcast.swarm;

import io.swarmcast.agent.Agent;
import io.swarmcast.agent.AgentChanged;
import io.swarmcast.agent.AgentService;
import io.swarmcast.domain.ConflictException;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.Topology;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The swarm coordinator: starts a swarm (spawning its agents through the {@link AgentService}), wires it by
 * its topology ({@link Wiring}), and keeps the wiring current: agents spawned later join, and node status
 * and edge health follow agent status. Each visible change raises one {@link TopologyChanged}.
 * A topology reported by a producer (ingest) is adopted as reported, and its nodes follow agent status too.
 */
@Service
public class SwarmCoordinator {

    /** Worker types a swarm of a given size is made of, in turn. */
    static final List<String> WORKER_TYPES = List.of("coder", "researcher", "tester", "analyst", "reviewer",
            "architect", "optimizer", "documenter");

    /** The swarm this instance serves; null for the default swarm. */
    private final String swarmId;
    private final DomainLock lock;
    private final AgentService agents;
    private final ApplicationEventPublisher events;
    private final LongSupplier clock = System::currentTimeMillis;

    private Topology topology;
    private String coordinatorId;
    private final List<String> members = new ArrayList<>();
    /** Set when the current topology was reported by a producer rather than built here. */
    private SwarmTopology adopted;
    /** Written under the domain lock; volatile so that readers ({@link #current()}, GET requests) need no lock. */
    private volatile SwarmTopology current;
    private boolean initializing;

    @Autowired
    public SwarmCoordinator(DomainLock lock, AgentService agents, ApplicationEventPublisher events) {
        this(lock, agents, events, null);
    }

    /** The coordinator of one swarm ({@link Swarms}); {@code swarmId} null is the default swarm. */
    public SwarmCoordinator(DomainLock lock, AgentService agents, ApplicationEventPublisher events, String swarmId) {
        this.swarmId = swarmId;
        this.lock = lock;
        this.agents = agents;
        this.events = events;
    }

    /** One agent to spawn for a new swarm. */
    public record AgentSpec(String id, String name, String type, List<String> capabilities) {
    }

    /**
     * Starts a swarm, replacing the running one (its agents are stopped). With {@code specs} empty, {@code size} agents are made: a coordinator and workers of
     * different types. Hierarchical and adaptive swarms get a coordinator if the specs name none.
     */
    public SwarmTopology init(Topology newTopology, List<AgentSpec> specs, int size) {
        return lock.call(() -> {
            List<AgentSpec> toSpawn = new ArrayList<>(specs.isEmpty() ? generated(size) : specs);
            boolean hasCoordinator = toSpawn.stream().anyMatch(spec -> "coordinator".equals(spec.type()));
            if (!hasCoordinator && newTopology != Topology.MESH) {
                toSpawn.add(0, new AgentSpec(null, "Coordinator", "coordinator", List.of("orchestration")));
            }
            initializing = true;
            try {
                retireMembers();
                members.clear();
                adopted = null;
                coordinatorId = null;
                for (AgentSpec spec : toSpawn) {
                    Agent agent = agents.spawn(spec.id(), spec.name(), spec.type(), spec.capabilities(), null);
                    members.add(agent.id());
                    if (coordinatorId == null && "coordinator".equals(agent.type())) {
                        coordinatorId = agent.id();
                    }
                }
                topology = newTopology;
            } finally {
                initializing = false;
            }
            return publish(build());
        });
    }

    /**
     * A new swarm replaces the running one rather than merging with it: the old members that still run are
     * stopped (they stay readable with status stopped, and a stopped agent never rejoins). Agents outside the
     * swarm, and the nodes of a topology a producer reported, are left alone.
     */
    private void retireMembers() {
        for (String id : members) {
            agents.find(id).filter(agent -> agent.status() != AgentStatus.STOPPED).ifPresent(agent -> agents.stop(id));
        }
    }

    /** Rewires the swarm for another topology. */
    public SwarmTopology changeTopology(Topology newTopology) {
        return lock.call(() -> {
            if (topology == null) {
                throw new ConflictException("there is no swarm yet: POST /api/swarm/init first");
            }
            topology = newTopology;
            if (adopted != null) {
                adopted = new SwarmTopology(newTopology, adopted.coordinatorId(), adopted.nodes(), adopted.edges(), clock.getAsLong());
                return publish(adopted);
            }
            return publish(build());
        });
    }

    /** Takes a topology a producer reported as the current one; returns the event raised for it. */
    public TopologyChanged adopt(SwarmTopology reported) {
        return lock.call(() -> {
            topology = reported.topology();
            adopted = reported;
            members.clear();
            coordinatorId = reported.coordinatorId();
            return raise(reported);
        });
    }

    /**
     * Takes the topology another instance (or a checkpoint) published, raising nothing (io.swarmcast.replica). When
     * every node is a known agent, the swarm goes on as one built here (agents spawned later join it, the first
     * coordinator node is its coordinator); otherwise it is kept as reported, as an adopted one.
     */
    public void restore(SwarmTopology published) {
        lock.run(() -> {
            topology = published.topology();
            boolean allAgents = published.nodes().stream().allMatch(node -> agents.find(node.id()).isPresent());
            members.clear();
            if (allAgents) {
                adopted = null;
                published.nodes().forEach(node -> members.add(node.id()));
                coordinatorId = published.coordinatorId() != null ? published.coordinatorId()
                        : published.nodes().stream().filter(node -> "coordinator".equals(node.type()))
                                .map(SwarmTopology.Node::id).findFirst().orElse(null);
            } else {
                adopted = published;
                coordinatorId = published.coordinatorId();
            }
            // The event does not carry the coordinator's id: the one worked out here goes with the topology.
            current = new SwarmTopology(published.topology(), coordinatorId, published.nodes(), published.edges(),
                    published.timestamp());
        });
    }

    /** The newest topology, read without the domain lock: it is replaced whole, never changed in place. */
    public Optional<SwarmTopology> current() {
        return Optional.ofNullable(current);
    }

    /** Keeps nodes and edges in step with agents: new agents join, status changes recolour. */
    @EventListener
    @Order(100)
    void onAgentChanged(AgentChanged changed) {
        if (!Objects.equals(changed.swarmId(), swarmId)) {
            return; // another swarm's agent: its own coordinator follows it (Swarms routes the event)
        }
        lock.run(() -> {
            if (topology == null || initializing) {
                return;
            }
            Agent agent = changed.agent();
            if (adopted != null) {
                refreshAdopted(agent);
                return;
            }
            if (!members.contains(agent.id())) {
                if (agent.status() == AgentStatus.STOPPED) {
                    return;
                }
                members.add(agent.id());
            }
            SwarmTopology rebuilt = build();
            if (current == null || !rebuilt.nodes().equals(current.nodes()) || !rebuilt.edges().equals(current.edges())) {
                publish(rebuilt);
            }
        });
    }

    private void refreshAdopted(Agent agent) {
        boolean known = adopted.nodes().stream().anyMatch(node -> node.id().equals(agent.id()));
        if (!known) {
            return;
        }
        List<SwarmTopology.Node> nodes = new ArrayList<>();
        Map<String, String> statusById = new LinkedHashMap<>();
        for (SwarmTopology.Node node : adopted.nodes()) {
            SwarmTopology.Node updated = node.id().equals(agent.id())
                    ? new SwarmTopology.Node(node.id(), node.name(), node.type(), agent.status().wireName()) : node;
            nodes.add(updated);
            statusById.put(updated.id(), updated.status());
        }
        if (nodes.equals(adopted.nodes())) {
            return;
        }
        List<String[]> links = adopted.edges().stream().map(edge -> new String[] {edge.source(), edge.target()}).toList();
        adopted = new SwarmTopology(adopted.topology(), adopted.coordinatorId(), nodes, Wiring.withHealth(links, statusById),
                clock.getAsLong());
        publish(adopted);
    }

    private SwarmTopology build() {
        List<Agent> memberAgents = new ArrayList<>();
        for (String id : members) {
            agents.find(id).ifPresent(memberAgents::add);
        }
        List<SwarmTopology.Node> nodes = new ArrayList<>();
        Map<String, String> statusById = new LinkedHashMap<>();
        for (Agent agent : memberAgents) {
            nodes.add(new SwarmTopology.Node(agent.id(), agent.name(), agent.type(), agent.status().wireName()));
            statusById.put(agent.id(), agent.status().wireName());
        }
        List<SwarmTopology.Edge> edges = Wiring.withHealth(Wiring.links(topology, coordinatorId, memberAgents), statusById);
        return new SwarmTopology(topology, coordinatorId, nodes, edges, clock.getAsLong());
    }

    private SwarmTopology publish(SwarmTopology topologyNow) {
        return raise(topologyNow).topology();
    }

    private TopologyChanged raise(SwarmTopology topologyNow) {
        current = topologyNow;
        TopologyChanged changed = new TopologyChanged(topologyNow, swarmId);
        events.publishEvent(changed);
        return changed;
    }

    private static List<AgentSpec> generated(int size) {
        List<AgentSpec> specs = new ArrayList<>();
        specs.add(new AgentSpec(null, "Coordinator", "coordinator", List.of("orchestration")));
        for (int i = 1; i < size; i++) {
            String type = WORKER_TYPES.get((i - 1) % WORKER_TYPES.size());
            String name = Character.toUpperCase(type.charAt(0)) + type.substring(1) + "-" + i;
            specs.add(new AgentSpec(null, name, type, List.of(type)));
        }
        return specs;
    }
}
