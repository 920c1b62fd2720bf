package io.swarmcast.task;

import io.swarmcast.domain.InvalidRequestException;
import io.swarmcast.web.RequestFields;
import io.swarmcast.event.TaskStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import io.swarmcast.swarm.Swarm;
import lombok.RequiredArgsConstructor;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.util.List;

/**
 * The task orchestrator's command API: create, then {@code assign}, {@code start}, {@code progress},
 * {@code complete} or {@code fail} as sub-resources, since each is a lifecycle step rather than an edit.
 */
@RequiredArgsConstructor
@RestController
@RequestMapping("/api/tasks")
class TaskController {

    record CreateRequest(String id, @NotBlank String description, String type, String priority) {
    }

    record AssignRequest(@NotBlank String agentId) {
    }

    @PostMapping
    ResponseEntity<Task> create(@Valid @RequestBody CreateRequest request, Swarm swarm) {
        Task task = swarm.tasks().create(request.id() == null || request.id().isBlank() ? null : request.id(),
                request.description(), request.type(), request.priority());
        return ResponseEntity.created(URI.create("/api/tasks/" + task.id())).body(task);
    }

    /** The active set by default; {@code ?all=true} for every readable task, {@code ?status=} to filter. */
    @GetMapping
    List<Task> list(@RequestParam(defaultValue = "false") boolean all, @RequestParam(required = false) String status, Swarm swarm) {
        TaskStatus wanted = RequestFields.enumOf("status", status, TaskStatus.class);
        return (all ? swarm.tasks().all() : swarm.tasks().active()).stream()
                .filter(task -> wanted == null || task.status() == wanted)
                .toList();
    }

    @GetMapping("/{id}")
    Task get(@PathVariable String id, Swarm swarm) {
        return swarm.tasks().get(id);
    }

    @PostMapping("/{id}/assign")
    Task assign(@PathVariable String id, @Valid @RequestBody AssignRequest request, Swarm swarm) {
        return swarm.tasks().assign(id, request.agentId());
    }

    @PostMapping("/{id}/start")
    Task start(@PathVariable String id, Swarm swarm) {
        return swarm.tasks().start(id);
    }

    /** Body {@code {"progress": 0..100}}. */
    @PostMapping("/{id}/progress")
    Task progress(@PathVariable String id, @RequestBody JsonNode body, Swarm swarm) {
        Long progress = new RequestFields(body).wholeNumber("progress", 0, 100);
        if (progress == null) {
            throw new InvalidRequestException("progress", "progress is required: a whole number from 0 to 100");
        }
        return swarm.tasks().progress(id, progress.intValue());
    }

    @PostMapping("/{id}/complete")
    Task complete(@PathVariable String id, Swarm swarm) {
        return swarm.tasks().complete(id);
    }

    /** Body {@code {"error": "why"}}. */
    @PostMapping("/{id}/fail")
    Task fail(@PathVariable String id, @RequestBody JsonNode body, Swarm swarm) {
        return swarm.tasks().fail(id, new RequestFields(body).string("error"));
    }
}
