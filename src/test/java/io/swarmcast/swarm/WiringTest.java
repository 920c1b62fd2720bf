package io.swarmcast.swarm;

import io.swarmcast.agent.Agent;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.Topology;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class WiringTest {

    private static Agent agent(String id, String type) {
        return new Agent(id, id, type, AgentStatus.ACTIVE, null, List.of(), Agent.Metrics.NONE, 0, 0, false);
    }

    private static final List<Agent> SWARM = List.of(agent("boss", "coordinator"), agent("c1", "coder"),
            agent("c2", "coder"), agent("t1", "tester"));

    private static List<String> links(Topology topology) {
        return Wiring.links(topology, "boss", SWARM).stream().map(l -> l[0] + "-" + l[1]).collect(Collectors.toList());
    }

    @Test
    void hierarchicalLinksTheCoordinatorToEachWorker() {
        assertThat(links(Topology.HIERARCHICAL)).containsExactly("boss-c1", "boss-c2", "boss-t1");
    }

    @Test
    void meshLinksEveryPair() {
        assertThat(links(Topology.MESH)).containsExactly("boss-c1", "boss-c2", "boss-t1", "c1-c2", "c1-t1", "c2-t1");
    }

    @Test
    void adaptiveAddsLinksBetweenWorkersOfTheSameType() {
        assertThat(links(Topology.ADAPTIVE)).containsExactly("boss-c1", "boss-c2", "boss-t1", "c1-c2");
    }

    @Test
    void edgeHealthFollowsTheWorstEnd() {
        assertThat(Wiring.health("active", "busy")).isEqualTo("healthy");
        assertThat(Wiring.health("idle", "error")).isEqualTo("degraded");
        assertThat(Wiring.health("error", "stopped")).isEqualTo("down");
        assertThat(Wiring.health("active", null)).isEqualTo("down");
    }
}
