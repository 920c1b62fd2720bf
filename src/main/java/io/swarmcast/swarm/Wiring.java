package io.swarmcast.swarm;

import io.swarmcast.agent.Agent;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rules that turn members and a topology into edges, and agent status into edge health.
 * <ul>
 *   <li>hierarchical: the coordinator to each worker;</li>
 *   <li>mesh: every pair of members;</li>
 *   <li>adaptive: the hierarchical tree, plus direct links between workers of the same type, so that
 *       specialists of one kind (say, the coders) can work as a team without going through the coordinator.</li>
 * </ul>
 */
final class Wiring {

    static final String HEALTHY = "healthy";
    static final String DEGRADED = "degraded";
    static final String DOWN = "down";

    private Wiring() {
    }

    /** Links as (source, target) pairs, in a stable order. */
    static List<String[]> links(Topology topology, String coordinatorId, List<Agent> members) {
        List<String[]> links = new ArrayList<>();
        List<Agent> workers = members.stream().filter(agent -> !agent.id().equals(coordinatorId)).toList();
        if (topology == Topology.MESH || coordinatorId == null) {
            for (int i = 0; i < members.size(); i++) {
                for (int j = i + 1; j < members.size(); j++) {
                    links.add(new String[] {members.get(i).id(), members.get(j).id()});
                }
            }
            return links;
        }
        for (Agent worker : workers) {
            links.add(new String[] {coordinatorId, worker.id()});
        }
        if (topology == Topology.ADAPTIVE) {
            for (int i = 0; i < workers.size(); i++) {
                for (int j = i + 1; j < workers.size(); j++) {
                    if (Objects.equals(workers.get(i).type(), workers.get(j).type())) {
                        links.add(new String[] {workers.get(i).id(), workers.get(j).id()});
                    }
                }
            }
        }
        return links;
    }

    /** Down if either end is stopped (or gone), degraded if either is in error, healthy otherwise. */
    static String health(String sourceStatus, String targetStatus) {
        if (sourceStatus == null || targetStatus == null || isStatus(sourceStatus, AgentStatus.STOPPED)
                || isStatus(targetStatus, AgentStatus.STOPPED)) {
            return DOWN;
        }
        if (isStatus(sourceStatus, AgentStatus.ERROR) || isStatus(targetStatus, AgentStatus.ERROR)) {
            return DEGRADED;
        }
        return HEALTHY;
    }

    static List<SwarmTopology.Edge> withHealth(List<String[]> links, Map<String, String> statusById) {
        List<SwarmTopology.Edge> edges = new ArrayList<>(links.size());
        for (String[] link : links) {
            edges.add(new SwarmTopology.Edge(link[0], link[1], health(statusById.get(link[0]), statusById.get(link[1]))));
        }
        return edges;
    }

    private static boolean isStatus(String status, AgentStatus expected) {
        return expected.wireName().equals(status);
    }
}
