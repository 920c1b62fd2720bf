package io.swarmcast.swarm;

import io.swarmcast.support.ChannelWatch;
import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.swarmcast.support.Rest.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The swarm coordinator end to end: {@code POST /api/swarm/init} spawns the agents and raises one
 * {@code topology:change} wired by the topology's rule (computed here independently of {@code Wiring});
 * afterwards node status and edge health follow the agents (stopped: down, error: degraded), new agents
 * join, and {@code PUT /api/swarm/topology} rewires.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SwarmApiIT {

    @LocalServerPort
    int port;

    private TestClient client;
    private ChannelWatch topology;
    private ChannelWatch agents;

    @BeforeEach
    void subscribe() {
        client = TestClient.connectWelcomed(port);
        client.subscribe("topology", "agents");
        topology = new ChannelWatch(client, "topology");
        agents = new ChannelWatch(client, "agents");
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void hierarchicalSwarmLinksTheCoordinatorToEachWorker() {
        int mark = topology.mark();
        int agentMark = agents.mark();

        Http.Response init = Rest.post(port, "/api/swarm/init", object("topology", "hierarchical", "size", 4));

        assertThat(init.status()).as(init.body()).isEqualTo(201);
        JsonNode event = topology.exactlyOneSince(mark);
        assertTopologyEvent(event, "hierarchical", init.json());
        List<JsonNode> nodes = list(event.path("nodes"));
        assertThat(nodes).hasSize(4);
        assertThat(nodes).extracting(n -> n.path("type").asString())
                .containsExactly("coordinator", "coder", "researcher", "tester");
        assertThat(nodes).allSatisfy(n -> assertThat(n.path("status").asString()).isEqualTo("active"));
        String coordinator = nodes.get(0).path("id").asString();
        assertThat(init.json().path("coordinatorId").asString()).isEqualTo(coordinator);
        assertThat(directed(event.path("edges"))).isEqualTo(tree(coordinator, nodes));
        assertThat(event.path("edges")).hasSize(3);
        assertThat(healthOf(event)).allSatisfy((edge, health) -> assertThat(health).isEqualTo("healthy"));

        // The agents exist, one agent:status each, all before the topology that wires them (the members of a
        // swarm an earlier test started are stopped first: a new swarm replaces the running one).
        List<JsonNode> spawned = agents.since(agentMark).stream()
                .filter(e -> !"stopped".equals(e.path("status").asString())).toList();
        assertThat(spawned).hasSize(4);
        assertThat(spawned).extracting(e -> e.path("agentId").asString()).containsExactlyElementsOf(ids(nodes));
        assertThat(spawned.get(3).path("seq").asLong()).isLessThan(event.path("seq").asLong());
        Map<String, JsonNode> listed = agentsById();
        for (JsonNode node : nodes) {
            JsonNode agent = listed.get(node.path("id").asString());
            assertThat(agent).as(node.toString()).isNotNull();
            assertThat(agent.path("status").asString()).isEqualTo("active");
            assertThat(agent.path("name").asString()).isEqualTo(node.path("name").asString());
            assertThat(agent.path("type").asString()).isEqualTo(node.path("type").asString());
        }
        assertThat(Http.get(port, "/api/swarm").json().path("edges")).isEqualTo(event.path("edges"));
    }

    @Test
    void hierarchicalSwarmGetsACoordinatorWhenTheListNamesNone() {
        int mark = topology.mark();

        JsonNode swarm = Rest.expect(Rest.post(port, "/api/swarm/init", object("topology", "hierarchical",
                "agents", List.of(Map.of("name", "Coder", "type", "coder"), Map.of("name", "Tester", "type", "tester")))), 201).json();

        JsonNode event = topology.exactlyOneSince(mark);
        assertTopologyEvent(event, "hierarchical", swarm);
        List<JsonNode> nodes = list(event.path("nodes"));
        assertThat(nodes).extracting(n -> n.path("name").asString()).containsExactly("Coordinator", "Coder", "Tester");
        assertThat(directed(event.path("edges"))).isEqualTo(tree(nodes.get(0).path("id").asString(), nodes));
    }

    @Test
    void meshSwarmLinksEveryPair() {
        int mark = topology.mark();

        JsonNode swarm = Rest.expect(Rest.post(port, "/api/swarm/init", object("topology", "mesh", "size", 5)), 201).json();

        JsonNode event = topology.exactlyOneSince(mark);
        assertTopologyEvent(event, "mesh", swarm);
        List<JsonNode> nodes = list(event.path("nodes"));
        assertThat(nodes).hasSize(5);
        assertThat(event.path("edges")).hasSize(5 * 4 / 2);
        assertThat(undirected(event.path("edges"))).isEqualTo(allPairs(ids(nodes)));
        assertThat(agentsById().keySet()).containsAll(ids(nodes));
    }

    @Test
    void meshSwarmFromAListHasNoCoordinatorAdded() {
        int mark = topology.mark();

        JsonNode swarm = Rest.expect(Rest.post(port, "/api/swarm/init", object("topology", "mesh", "agents",
                List.of(Map.of("name", "A", "type", "coder"), Map.of("name", "B", "type", "tester"),
                        Map.of("name", "C", "type", "analyst")))), 201).json();

        JsonNode event = topology.exactlyOneSince(mark);
        assertTopologyEvent(event, "mesh", swarm);
        List<JsonNode> nodes = list(event.path("nodes"));
        assertThat(nodes).extracting(n -> n.path("name").asString()).containsExactly("A", "B", "C");
        assertThat(undirected(event.path("edges"))).isEqualTo(allPairs(ids(nodes))).hasSize(3);
    }

    @Test
    void adaptiveSwarmIsTheTreePlusLinksBetweenWorkersOfOneType() {
        int mark = topology.mark();

        JsonNode swarm = Rest.expect(Rest.post(port, "/api/swarm/init", object("topology", "adaptive", "agents", List.of(
                Map.of("name", "Coder A", "type", "coder"), Map.of("name", "Tester A", "type", "tester"),
                Map.of("name", "Coder B", "type", "coder"), Map.of("name", "Reviewer", "type", "reviewer"),
                Map.of("name", "Tester B", "type", "tester")))), 201).json();

        JsonNode event = topology.exactlyOneSince(mark);
        assertTopologyEvent(event, "adaptive", swarm);
        List<JsonNode> nodes = list(event.path("nodes"));
        assertThat(nodes).hasSize(6);
        JsonNode coordinator = nodes.get(0);
        assertThat(coordinator.path("type").asString()).isEqualTo("coordinator");
        String coordinatorId = coordinator.path("id").asString();
        Map<String, String> idByName = new LinkedHashMap<>();
        nodes.forEach(n -> idByName.put(n.path("name").asString(), n.path("id").asString()));

        Set<String> expected = new HashSet<>(tree(coordinatorId, nodes));
        expected.add(idByName.get("Coder A") + "->" + idByName.get("Coder B"));
        expected.add(idByName.get("Tester A") + "->" + idByName.get("Tester B"));
        assertThat(directed(event.path("edges"))).isEqualTo(expected).hasSize(5 + 2);
    }

    @Test
    void edgeHealthFollowsAgentStatusAndNewAgentsJoin() {
        JsonNode swarm = Rest.expect(Rest.post(port, "/api/swarm/init", object("topology", "hierarchical", "size", 4)), 201).json();
        topology.exactlySince(0, 1);
        List<JsonNode> nodes = list(swarm.path("nodes"));
        String coordinator = nodes.get(0).path("id").asString();
        String stopped = nodes.get(1).path("id").asString();
        String failing = nodes.get(2).path("id").asString();
        String healthy = nodes.get(3).path("id").asString();

        // Stopping an agent: its node stopped, its edge down, the rest healthy.
        int mark = topology.mark();
        int agentMark = agents.mark();
        Rest.expect(Rest.delete(port, "/api/agents/" + stopped), 200);
        JsonNode afterStop = topology.exactlyOneSince(mark);
        assertThat(afterStop.path("topology").asString()).isEqualTo("hierarchical");
        assertThat(statusOf(afterStop, stopped)).isEqualTo("stopped");
        assertThat(healthOf(afterStop)).containsEntry(coordinator + "->" + stopped, "down")
                .containsEntry(coordinator + "->" + failing, "healthy")
                .containsEntry(coordinator + "->" + healthy, "healthy");
        JsonNode stopEvent = agents.exactlyOneSince(agentMark);
        assertThat(stopEvent.path("status").asString()).isEqualTo("stopped");
        assertThat(stopEvent.path("seq").asLong()).isLessThan(afterStop.path("seq").asLong());

        // An agent in error degrades its edges.
        mark = topology.mark();
        Rest.expect(Rest.patch(port, "/api/agents/" + failing, object("status", "error")), 200);
        JsonNode afterError = topology.exactlyOneSince(mark);
        assertThat(statusOf(afterError, failing)).isEqualTo("error");
        assertThat(healthOf(afterError)).containsEntry(coordinator + "->" + failing, "degraded")
                .containsEntry(coordinator + "->" + stopped, "down")
                .containsEntry(coordinator + "->" + healthy, "healthy");

        // It recovers.
        mark = topology.mark();
        Rest.expect(Rest.patch(port, "/api/agents/" + failing, object("status", "active")), 200);
        JsonNode afterRecovery = topology.exactlyOneSince(mark);
        assertThat(healthOf(afterRecovery)).containsEntry(coordinator + "->" + failing, "healthy");

        // A coordinator in error degrades every edge it has, except the one already down.
        mark = topology.mark();
        Rest.expect(Rest.patch(port, "/api/agents/" + coordinator, object("status", "error")), 200);
        JsonNode coordinatorDown = topology.exactlyOneSince(mark);
        assertThat(healthOf(coordinatorDown)).containsEntry(coordinator + "->" + failing, "degraded")
                .containsEntry(coordinator + "->" + healthy, "degraded")
                .containsEntry(coordinator + "->" + stopped, "down");
        mark = topology.mark();
        Rest.expect(Rest.patch(port, "/api/agents/" + coordinator, object("status", "active")), 200);
        topology.exactlyOneSince(mark);

        // A newly spawned agent joins, linked to the coordinator.
        mark = topology.mark();
        String newcomer = Rest.spawnAgent(port, Rest.unique("optimizer"), "Newcomer", "optimizer");
        JsonNode afterJoin = topology.exactlyOneSince(mark);
        assertThat(ids(list(afterJoin.path("nodes")))).containsExactly(coordinator, stopped, failing, healthy, newcomer);
        assertThat(statusOf(afterJoin, newcomer)).isEqualTo("active");
        assertThat(healthOf(afterJoin)).hasSize(4).containsEntry(coordinator + "->" + newcomer, "healthy");

        // A change that does not show in the graph (metrics) raises no topology:change.
        mark = topology.mark();
        Rest.expect(Rest.patch(port, "/api/agents/" + healthy, object("metrics", object("cpu", 12.0))), 200);
        topology.noneSince(mark);

        JsonNode current = Rest.expect(Http.get(port, "/api/swarm"), 200).json();
        assertThat(current.path("nodes")).isEqualTo(afterJoin.path("nodes"));
        assertThat(current.path("edges")).isEqualTo(afterJoin.path("edges"));
    }

    @Test
    void changingTheTopologyRewiresTheSameMembers() {
        JsonNode swarm = Rest.expect(Rest.post(port, "/api/swarm/init", object("topology", "hierarchical", "size", 4)), 201).json();
        topology.exactlySince(0, 1);
        List<String> members = ids(list(swarm.path("nodes")));
        Rest.expect(Rest.delete(port, "/api/agents/" + members.get(3)), 200);
        topology.exactlySince(0, 2);
        int mark = topology.mark();

        Http.Response changed = Rest.put(port, "/api/swarm/topology", object("topology", "mesh").toString());

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        JsonNode event = topology.exactlyOneSince(mark);
        assertTopologyEvent(event, "mesh", changed.json());
        assertThat(ids(list(event.path("nodes")))).isEqualTo(members);
        assertThat(undirected(event.path("edges"))).isEqualTo(allPairs(members));
        for (JsonNode edge : event.path("edges")) {
            boolean touchesStopped = members.get(3).equals(edge.path("source").asString())
                    || members.get(3).equals(edge.path("target").asString());
            assertThat(edge.path("health").asString()).as(edge.toString()).isEqualTo(touchesStopped ? "down" : "healthy");
        }
        assertThat(Http.get(port, "/api/swarm").json().path("topology").asString()).isEqualTo("mesh");
    }

    @Test
    void aNewSwarmReplacesTheRunningOneAndItsAgentsNeverRejoin() {
        int before = topology.mark();
        JsonNode first = Rest.expect(Rest.post(port, "/api/swarm/init", object("topology", "hierarchical", "size", 4)), 201).json();
        List<String> old = ids(list(first.path("nodes")));
        // Delivery is asynchronous: mark only once the first swarm's events (agents, then topology) have arrived.
        topology.exactlyOneSince(before);
        int mark = topology.mark();
        int agentMark = agents.mark();

        JsonNode second = Rest.expect(Rest.post(port, "/api/swarm/init", object("topology", "mesh", "size", 3)), 201).json();

        List<String> fresh = ids(list(second.path("nodes")));
        assertThat(fresh).hasSize(3).doesNotContainAnyElementsOf(old);
        JsonNode event = topology.exactlyOneSince(mark);
        assertThat(ids(list(event.path("nodes")))).isEqualTo(fresh);
        assertThat(list(event.path("nodes"))).filteredOn(n -> "coordinator".equals(n.path("type").asString())).hasSize(1);
        // The old members were stopped, each with its agent:status, before the new ones were spawned.
        List<JsonNode> agentEvents = agents.exactlySince(agentMark, old.size() + fresh.size());
        assertThat(agentEvents.subList(0, old.size())).extracting(e -> e.path("agentId").asString()).containsExactlyElementsOf(old);
        assertThat(agentEvents.subList(0, old.size())).allSatisfy(e -> assertThat(e.path("status").asString()).isEqualTo("stopped"));
        Map<String, JsonNode> listed = agentsById();
        old.forEach(id -> assertThat(listed.get(id).path("status").asString()).as(id).isEqualTo("stopped"));

        // A stopped member cannot come back into the new swarm; an agent spawned now joins it.
        Http.Response revive = Rest.patch(port, "/api/agents/" + old.get(1), object("status", "active"));
        assertThat(revive.status()).as(revive.body()).isEqualTo(409);
        mark = topology.mark();
        String newcomer = Rest.spawnAgent(port, Rest.unique("coder"), "Late", "coder");
        JsonNode afterJoin = topology.exactlyOneSince(mark);
        List<String> expected = new ArrayList<>(fresh);
        expected.add(newcomer);
        assertThat(ids(list(afterJoin.path("nodes")))).isEqualTo(expected);
    }

    @Test
    void invalidRequestsAre400NamingTheFieldAndSpawnNothing() {
        int agentCount = agentsById().size();
        long seq = Rest.newestSeq(port);
        int mark = topology.mark();

        Http.Response badTopology = Rest.post(port, "/api/swarm/init", object("topology", "star", "size", 3));
        assertBadRequest(badTopology, "topology");
        assertThat(badTopology.json().path("error").asString()).contains("hierarchical, mesh, adaptive").contains("star");
        assertBadRequest(Rest.post(port, "/api/swarm/init", object("topology", "mesh", "size", 0)), "size");
        assertBadRequest(Rest.post(port, "/api/swarm/init", object("topology", "mesh", "size", 2.5)), "size");
        assertBadRequest(Rest.post(port, "/api/swarm/init", object("topology", "mesh", "size", 1000)), "size");
        assertBadRequest(Rest.post(port, "/api/swarm/init", object("topology", "mesh", "agents", "three")), "agents");
        assertBadRequest(Rest.post(port, "/api/swarm/init", object("topology", "mesh",
                "agents", List.of(Map.of("name", "ok", "type", "coder"), Map.of("name", "no type")))), "agents[1].type");
        assertBadRequest(Rest.put(port, "/api/swarm/topology", "{}"), "topology");
        assertBadRequest(Rest.put(port, "/api/swarm/topology", object("topology", "ring").toString()), "topology");

        assertThat(agentsById()).hasSize(agentCount);
        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        topology.noneSince(mark);
    }

    private static void assertTopologyEvent(JsonNode event, String kind, JsonNode answer) {
        assertThat(event.path("type").asString()).isEqualTo("topology:change");
        assertThat(event.path("event").asString()).isEqualTo("topology:change");
        assertThat(event.path("channel").asString()).isEqualTo("topology");
        assertThat(event.path("id").asString()).isEqualTo("evt-" + event.path("seq").asLong());
        assertThat(event.path("topology").asString()).isEqualTo(kind);
        assertThat(answer.path("topology").asString()).isEqualTo(kind);
        assertThat(event.path("nodes")).isEqualTo(answer.path("nodes"));
        assertThat(event.path("edges")).isEqualTo(answer.path("edges"));
        JsonNode data = event.path("data");
        assertThat(data.path("topology").asString()).isEqualTo(kind);
        assertThat(data.path("nodes")).isEqualTo(event.path("nodes"));
        assertThat(data.path("edges")).isEqualTo(event.path("edges"));
        for (JsonNode node : event.path("nodes")) {
            assertThat(node.path("id").asString()).isNotBlank();
            assertThat(node.path("name").asString()).isNotBlank();
            assertThat(node.path("type").asString()).isNotBlank();
            assertThat(node.path("status").asString()).isNotBlank();
        }
    }

    private static void assertBadRequest(Http.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("field").asString()).as(response.body()).isEqualTo(field);
        assertThat(response.json().path("error").asString()).as(response.body()).contains(field);
    }

    private Map<String, JsonNode> agentsById() {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode agent : Rest.expect(Http.get(port, "/api/agents"), 200).json()) {
            byId.put(agent.path("id").asString(), agent);
        }
        return byId;
    }

    /** Coordinator to each other node, as "source->target". */
    private static Set<String> tree(String coordinator, List<JsonNode> nodes) {
        Set<String> edges = new HashSet<>();
        for (String id : ids(nodes)) {
            if (!id.equals(coordinator)) {
                edges.add(coordinator + "->" + id);
            }
        }
        return edges;
    }

    private static Set<Set<String>> allPairs(List<String> ids) {
        Set<Set<String>> pairs = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                pairs.add(Set.of(ids.get(i), ids.get(j)));
            }
        }
        return pairs;
    }

    private static Set<String> directed(JsonNode edges) {
        Set<String> set = new HashSet<>();
        for (JsonNode edge : edges) {
            assertThat(set.add(edge.path("source").asString() + "->" + edge.path("target").asString()))
                    .as("duplicate edge " + edge).isTrue();
        }
        return set;
    }

    private static Set<Set<String>> undirected(JsonNode edges) {
        Set<Set<String>> set = new HashSet<>();
        for (JsonNode edge : edges) {
            assertThat(set.add(Set.of(edge.path("source").asString(), edge.path("target").asString())))
                    .as("duplicate edge " + edge).isTrue();
        }
        return set;
    }

    private static Map<String, String> healthOf(JsonNode topologyEvent) {
        Map<String, String> health = new LinkedHashMap<>();
        for (JsonNode edge : topologyEvent.path("edges")) {
            health.put(edge.path("source").asString() + "->" + edge.path("target").asString(), edge.path("health").asString());
        }
        return health;
    }

    private static String statusOf(JsonNode topologyEvent, String nodeId) {
        for (JsonNode node : topologyEvent.path("nodes")) {
            if (nodeId.equals(node.path("id").asString())) {
                return node.path("status").asString();
            }
        }
        throw new AssertionError("no node " + nodeId + " in " + topologyEvent);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private static List<String> ids(List<JsonNode> nodes) {
        return nodes.stream().map(n -> n.path("id").asString()).toList();
    }
}
