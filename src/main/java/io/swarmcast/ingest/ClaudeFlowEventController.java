package io.swarmcast.ingest;

import jakarta.servlet.http.HttpServletRequest;
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
class ClaudeFlowEventController {

    private final JsonBodyReader bodies;
    private final ClaudeFlowTranslator translator;
    private final IngestSink sink;
    private final IngestMetrics metrics;
    private final EventSizeLimit eventSize;

    ClaudeFlowEventController(JsonBodyReader bodies, ClaudeFlowTranslator translator, IngestSink sink,
                              IngestMetrics metrics, EventSizeLimit eventSize) {
        this.eventSize = eventSize;
        this.bodies = bodies;
        this.translator = translator;
        this.sink = sink;
        this.metrics = metrics;
    }

    @PostMapping("/event")
    ResponseEntity<Map<String, Object>> event(HttpServletRequest request) throws IOException {
        JsonBodyReader.JsonBody body = bodies.read(request);
        // The event object is what history keeps (a pass-through event's data is it, exactly as sent).
        eventSize.check(body.json().get("event"), body.size(), 0, "event");
        return metrics.timeClaudeFlow(() -> IngestController.accepted(sink.accept(List.of(translator.translate(body.json())))));
    }
}
