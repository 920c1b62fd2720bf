package io.swarmcast.ingest;

import io.swarmcast.admission.Admission;
import io.swarmcast.event.DashboardEvent;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /event}, the Claude Flow CLI's emitter format, on the main port and on the compatibility port,
 * so existing tools work unchanged.
 */
@RestController
class ClaudeFlowEventController {

    private final JsonBodyReader bodies;
    private final ClaudeFlowTranslator translator;
    private final IngestSink sink;
    private final IngestMetrics metrics;
    private final Admission admission;

    ClaudeFlowEventController(JsonBodyReader bodies, ClaudeFlowTranslator translator, IngestSink sink,
                              IngestMetrics metrics, Admission admission) {
        this.bodies = bodies;
        this.translator = translator;
        this.sink = sink;
        this.metrics = metrics;
        this.admission = admission;
    }

    @PostMapping("/event")
    ResponseEntity<Map<String, Object>> event(HttpServletRequest request) throws IOException {
        JsonNode body = bodies.read(request);
        List<DashboardEvent> events = List.of(translator.translate(body));
        return metrics.timeClaudeFlow(() -> IngestController.accepted(IngestController.admitted(admission, sink, events)));
    }
}
