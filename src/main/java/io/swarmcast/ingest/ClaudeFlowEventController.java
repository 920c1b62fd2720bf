package io.swarmcast.ingest;

import io.swarmcast.admission.Admission;
import io.swarmcast.event.DashboardEvent;
import jakarta.servlet.http.HttpServletRequest;
import lombok.RequiredArgsConstructor;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /event}, the Claude Flow CLI's emitter format, on the main port and on the compatibility port,
 * so existing tools work unchanged.
 */
@RestController
@RequiredArgsConstructor
class ClaudeFlowEventController {

    private final JsonBodyReader bodies;
    private final ClaudeFlowTranslator translator;
    private final IngestSink sink;
    private final IngestMetrics metrics;
    private final EventSizeLimit eventSize;
    private final Admission admission;

    @PostMapping("/event")
    ResponseEntity<Map<String, Object>> event(HttpServletRequest request) throws IOException {
        JsonBodyReader.JsonBody body = bodies.read(request);
        // The event object is what history keeps (a pass-through event's data is it, exactly as sent).
        eventSize.check(body.json().get("event"), body.size(), 0, "event");
        DashboardEvent event = translator.translate(body.json());
        // Only the body's own swarmId names a Swarmcast swarm. A swarmId inside the event is the producer's data: Claude
        // Flow's own events carry theirs (a new one each run), and reading it would hide them from its dashboard.
        String swarmId = IngestSwarm.read(body.json(), IngestSwarm.FIELD, 0);
        List<DashboardEvent> events = List.of(swarmId == null ? event : event.withSwarmId(swarmId));
        return metrics.timeClaudeFlow(() -> IngestController.accepted(IngestController.admitted(admission, sink, events)));
    }
}
