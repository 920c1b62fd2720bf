package io.swarmcast.publish;

import io.swarmcast.domain.DomainLock;
import io.swarmcast.server.EventServer;
import io.swarmcast.swarm.Swarm;
import io.swarmcast.swarm.Swarms;
import io.swarmcast.timeline.TimelineQuery;
import io.swarmcast.domain.InvalidRequestException;
import lombok.RequiredArgsConstructor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/state}: everything a dashboard needs to draw one swarm now, in one document, read under
 * the domain lock so its parts agree with each other: agents, the active tasks, the topology, the newest
 * metrics, and the event log's newest seq and epoch (to resume from, over WebSocket, without a gap).
 * {@code ?swarm=} names the swarm (the default one without it); {@code GET /api/swarms} lists them. With
 * {@code atSeq} or {@code at}, the default swarm's state as it was at that point of the log instead
 * ({@link TimelineQuery}); the timeline folds the default swarm only, so {@code swarm} naming another swarm
 * together with a point is a 400 (docs/protocol.md 7.13).
 */
@RequiredArgsConstructor
@RestController
class StateController {

    private final DomainLock lock;
    private final Swarms swarms;
    private final MetricsPublisher metrics;
    private final EventServer server;
    private final TimelineQuery points;

    @GetMapping("/api/state")
    Map<String, Object> state(@RequestParam(name = "swarm", required = false) String swarmName,
                              @RequestParam(name = "atSeq", required = false) String atSeq,
                              @RequestParam(name = "at", required = false) String at) {
        String swarmId = Swarms.fromRequest("swarm", swarmName);
        if (TimelineQuery.asksForPoint(atSeq, at)) {
            if (swarmId != null) {
                throw new InvalidRequestException("swarm", "the state at a point (atSeq, at) is the default swarm's "
                        + "only; leave out swarm, or name \"default\"");
            }
            return points.answer(atSeq, at, server.serverId());
        }
        Swarm swarm = swarms.require(swarmId);
        return lock.call(() -> {
            Map<String, Object> state = new LinkedHashMap<>();
            if (!swarm.isDefault()) {
                state.put("swarmId", swarm.id());
            }
            state.put("agents", swarm.agents().list());
            state.put("tasks", swarm.tasks().active());
            state.put("topology", swarm.coordinator().current().orElse(null));
            state.put("metrics", metrics.latest(swarm));
            state.put("seq", server.newestSeq());
            state.put("epoch", server.epoch());
            state.put("serverId", server.serverId());
            return state;
        });
    }

    /** Every swarm, the default first, with its counts: what a swarm picker needs. */
    @GetMapping("/api/swarms")
    Map<String, Object> swarms() {
        return lock.call(() -> {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Swarm swarm : swarms.all()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", swarm.name());
                entry.put("agents", swarm.agents().list().size());
                entry.put("activeAgents", swarm.agents().activeCount());
                entry.put("tasks", swarm.tasks().active().size());
                entry.put("topology", swarm.coordinator().current().map(t -> t.topology().wireName()).orElse(null));
                entry.put("createdAt", swarm.createdAt());
                list.add(entry);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("swarms", list);
            answer.put("maxSwarms", swarms.maxSwarms());
            return answer;
        });
    }
}
