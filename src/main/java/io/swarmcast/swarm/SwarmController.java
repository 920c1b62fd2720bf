package io.swarmcast.swarm;

import io.swarmcast.admission.AdmissionCost;
import io.swarmcast.domain.InvalidRequestException;
import io.swarmcast.domain.NotFoundException;
import io.swarmcast.web.RequestFields;
import io.swarmcast.event.Topology;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import lombok.RequiredArgsConstructor;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** The swarm coordinator's command API. */
@RequiredArgsConstructor
@RestController
@RequestMapping("/api/swarm")
class SwarmController {

    static final int MAX_SIZE = 100;

    private final Swarms swarms;

    /** What the swarm endpoints answer: the swarm's id ({@code "default"} for the default swarm) and its topology. */
    record SwarmAnswer(String swarmId, @JsonUnwrapped SwarmTopology topology) {
    }

    /**
     * Body: {@code {"topology": "hierarchical"|"mesh"|"adaptive", "agents": [{"name","type","id"?,"capabilities"?}...]}}
     * or {@code {"topology": ..., "size": n}} (default size 5), and optionally {@code "swarmId"}: the swarm to start,
     * made if new (docs/protocol.md 7.15). Without it the default swarm is started again (its running agents stop).
     */
    @PostMapping("/init")
    @AdmissionCost(events = MAX_SIZE + 2) // every agent spawned (a coordinator may be added), then the topology
    ResponseEntity<SwarmAnswer> init(@RequestBody JsonNode body) {
        RequestFields fields = new RequestFields(body);
        String swarmId = Swarms.fromRequest("swarmId", fields.string("swarmId"));
        Topology topology = fields.enumValue("topology", Topology.class);
        List<SwarmCoordinator.AgentSpec> specs = new ArrayList<>();
        JsonNode agents = fields.node("agents");
        if (agents != null) {
            if (!agents.isArray() || agents.size() > MAX_SIZE) {
                throw new InvalidRequestException("agents", "agents must be an array of at most " + MAX_SIZE + " {name, type}");
            }
            for (int i = 0; i < agents.size(); i++) {
                specs.add(spec(agents.get(i), "agents[" + i + "]"));
            }
        }
        Long size = fields.wholeNumber("size", 1, MAX_SIZE);
        Swarm target = swarms.obtain(swarmId);
        SwarmTopology swarm = target.coordinator().init(topology != null ? topology : Topology.HIERARCHICAL, specs,
                size != null ? size.intValue() : 5);
        return ResponseEntity.status(HttpStatus.CREATED).body(new SwarmAnswer(target.name(), swarm));
    }

    /** Body: {@code {"topology": "hierarchical"|"mesh"|"adaptive", "swarmId"?: id}}. */
    @PutMapping("/topology")
    SwarmAnswer changeTopology(@RequestBody JsonNode body) {
        RequestFields fields = new RequestFields(body);
        Topology topology = fields.enumValue("topology", Topology.class);
        if (topology == null) {
            throw new InvalidRequestException("topology", "topology is required: one of hierarchical, mesh, adaptive");
        }
        Swarm target = swarms.require(Swarms.fromRequest("swarmId", fields.string("swarmId")));
        return new SwarmAnswer(target.name(), target.coordinator().changeTopology(topology));
    }

    /** {@code ?swarm=} names the swarm; the default one without it. */
    @GetMapping
    SwarmAnswer current(@RequestParam(name = "swarm", required = false) String swarmName) {
        Swarm target = swarms.require(Swarms.fromRequest("swarm", swarmName));
        return new SwarmAnswer(target.name(),
                target.coordinator().current().orElseThrow(() -> new NotFoundException("swarm", "current")));
    }

    private static SwarmCoordinator.AgentSpec spec(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException(path, path + " must be an object with name and type");
        }
        RequestFields fields = new RequestFields(node);
        String name = fields.string("name");
        String type = fields.string("type");
        if (type == null) {
            throw new InvalidRequestException(path + ".type", path + ".type is required");
        }
        List<String> capabilities = new ArrayList<>();
        JsonNode caps = fields.node("capabilities");
        if (caps != null) {
            for (JsonNode cap : caps) {
                capabilities.add(cap.asString());
            }
        }
        return new SwarmCoordinator.AgentSpec(fields.string("id"), name != null ? name : type, type, capabilities);
    }
}
