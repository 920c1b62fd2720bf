package io.swarmcast.agent;

import io.swarmcast.web.RequestFields;
import io.swarmcast.event.AgentStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import io.swarmcast.swarm.Swarm;
import lombok.RequiredArgsConstructor;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.util.List;

/** The agent manager's command API. */
@RequiredArgsConstructor
@RestController
@RequestMapping("/api/agents")
class AgentController {

    /**
     * @param id     optional; made up when absent
     * @param status optional first status, active by default
     */
    record SpawnRequest(String id, @NotBlank String name, @NotBlank String type, List<String> capabilities,
                        String status) {
    }

    @PostMapping
    ResponseEntity<Agent> spawn(@Valid @RequestBody SpawnRequest request, Swarm swarm) {
        AgentStatus status = RequestFields.enumOf("status", request.status(), AgentStatus.class);
        Agent agent = swarm.agents().spawn(blankToNull(request.id()), request.name(), request.type(), request.capabilities(), status);
        return ResponseEntity.created(URI.create("/api/agents/" + agent.id())).body(agent);
    }

    @GetMapping
    List<Agent> list(Swarm swarm) {
        return swarm.agents().list();
    }

    @GetMapping("/{id}")
    Agent get(@PathVariable String id, Swarm swarm) {
        return swarm.agents().get(id);
    }

    /** Body: any of {@code status}, {@code name}, {@code currentTask} (null clears it), {@code metrics: {cpu, memory}}. */
    @PatchMapping("/{id}")
    Agent update(@PathVariable String id, @RequestBody JsonNode body, Swarm swarm) {
        RequestFields fields = new RequestFields(body);
        RequestFields metrics = fields.object("metrics");
        return swarm.agents().update(id, new AgentUpdate(fields.enumValue("status", AgentStatus.class), fields.string("name"),
                fields.string("currentTask"), fields.isExplicitNull("currentTask"),
                metrics != null ? metrics.amount("cpu") : null, metrics != null ? metrics.amount("memory") : null));
    }

    @DeleteMapping("/{id}")
    Agent stop(@PathVariable String id, Swarm swarm) {
        return swarm.agents().stop(id);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
