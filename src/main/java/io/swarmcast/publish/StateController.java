package io.swarmcast.publish;

import io.swarmcast.agent.AgentService;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.server.EventServer;
import io.swarmcast.swarm.SwarmCoordinator;
import io.swarmcast.task.TaskService;
import io.swarmcast.timeline.TimelineQuery;
import lombok.RequiredArgsConstructor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/state}: everything a dashboard needs to draw the swarm now, in one document, read under
 * the domain lock so its parts agree with each other: agents, the active tasks, the topology, the newest
 * metrics, and the event log's newest seq and epoch (to resume from, over WebSocket, without a gap). With
 * {@code atSeq} or {@code at}, the state as it was at that point of the log instead ({@link TimelineQuery}).
 */
@RequiredArgsConstructor
@RestController
class StateController {

    private final DomainLock lock;
    private final AgentService agents;
    private final TaskService tasks;
    private final SwarmCoordinator swarm;
    private final MetricsPublisher metrics;
    private final EventServer server;
    private final TimelineQuery points;

    @GetMapping("/api/state")
    Map<String, Object> state(@RequestParam(name = "atSeq", required = false) String atSeq,
                              @RequestParam(name = "at", required = false) String at) {
        if (TimelineQuery.asksForPoint(atSeq, at)) {
            return points.answer(atSeq, at, server.serverId());
        }
        return lock.call(() -> {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("agents", agents.list());
            state.put("tasks", tasks.active());
            state.put("topology", swarm.current().orElse(null));
            state.put("metrics", metrics.latest());
            state.put("seq", server.newestSeq());
            state.put("epoch", server.epoch());
            state.put("serverId", server.serverId());
            return state;
        });
    }
}
