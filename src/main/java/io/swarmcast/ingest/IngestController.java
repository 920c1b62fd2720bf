package io.swarmcast.ingest;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.admission.Admission;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.EventParser;
import io.swarmcast.event.EventValidationException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/events}: one typed event or an array of them, validated strictly and as a whole
 * (docs/protocol.md section 5). Answers 202 with the seqs only once every event is in the log; 503 when
 * admission refuses the batch (delivery is behind, or the server is stopping), before anything of it is applied.
 */
@RestController
class IngestController {

    private final JsonBodyReader bodies;
    private final EventParser parser;
    private final IngestSink sink;
    private final IngestMetrics metrics;
    private final EventSizeLimit eventSize;
    private final Admission admission;
    private final int maxBatchSize;

    IngestController(JsonBodyReader bodies, EventParser parser, IngestSink sink, IngestMetrics metrics,
                     EventSizeLimit eventSize, Admission admission, SwarmcastProperties properties) {
        this.bodies = bodies;
        this.eventSize = eventSize;
        this.parser = parser;
        this.sink = sink;
        this.metrics = metrics;
        this.admission = admission;
        this.maxBatchSize = properties.limits().maxBatchSize();
    }

    @PostMapping("/api/events")
    ResponseEntity<Map<String, Object>> ingest(HttpServletRequest request) throws IOException {
        JsonBodyReader.JsonBody body = bodies.read(request);
        List<DashboardEvent> events = parseAll(body);
        return metrics.timeTyped(() -> accepted(admitted(admission, sink, events)));
    }

    /**
     * Hands the events to the sink once admission has reserved room for all they can cause, and releases the
     * reservation once they are in the log. A refusal (503) leaves nothing of the request applied.
     */
    static List<Long> admitted(Admission admission, IngestSink sink, List<DashboardEvent> events) {
        try (Admission.Ticket ticket = admission.admit(events.size() * Admission.EVENTS_PER_INGESTED_EVENT)) {
            return sink.accept(events);
        }
    }

    private List<DashboardEvent> parseAll(JsonBodyReader.JsonBody read) {
        JsonNode body = read.json();
        if (!body.isArray()) {
            eventSize.check(body, read.size(), 0, null);
            return List.of(parseAt(body, 0));
        }
        if (body.size() > maxBatchSize) {
            throw IngestException.tooLarge("a batch holds at most " + maxBatchSize + " events (got " + body.size() + ")");
        }
        if (body.isEmpty()) {
            throw IngestException.badRequest("the batch is empty; send at least one event");
        }
        List<DashboardEvent> events = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            eventSize.check(body.get(i), read.size(), i, null);
            events.add(parseAt(body.get(i), i));
        }
        return events;
    }

    private DashboardEvent parseAt(JsonNode node, int index) {
        try {
            String swarmId = IngestSwarm.read(node, IngestSwarm.FIELD, index);
            DashboardEvent event = parser.parse(node);
            return swarmId == null ? event : event.withSwarmId(swarmId);
        } catch (EventValidationException e) {
            throw new IngestException(HttpStatus.BAD_REQUEST, e.getMessage(), index, e.getField());
        }
    }

    static ResponseEntity<Map<String, Object>> accepted(List<Long> seqs) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("accepted", seqs.size(), "seqs", seqs));
    }
}
