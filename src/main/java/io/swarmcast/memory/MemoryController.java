package io.swarmcast.memory;

import io.swarmcast.domain.InvalidRequestException;
import io.swarmcast.domain.NotFoundException;
import io.swarmcast.swarm.Swarm;
import lombok.RequiredArgsConstructor;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shared memory over REST. {@code PUT} stores any JSON value as the body ({@code ?ttl=} seconds to let it
 * expire), {@code GET} retrieves, {@code DELETE} deletes, {@code GET /api/memory/{namespace}?q=&prefix=}
 * searches. {@code ?agentId=} says which agent acts, for the dashboards.
 */
@RequiredArgsConstructor
@RestController
@RequestMapping("/api/memory")
class MemoryController {

    /** The longest ttl: ten years, far inside what an expiry instant can hold (a larger one overflowed into a 500). */
    static final long MAX_TTL_SECONDS = 10L * 365 * 24 * 3600;

    @PutMapping("/{namespace}/{key}")
    ResponseEntity<MemoryEntry> store(@PathVariable String namespace, @PathVariable String key,
                                      @RequestBody(required = false) JsonNode value,
                                      @RequestParam(required = false) Long ttl,
                                      @RequestParam(required = false) String agentId, Swarm swarm) {
        if (value == null) {
            throw new InvalidRequestException("value", "the request body is the value to store: any JSON, not empty");
        }
        if (ttl != null && (ttl <= 0 || ttl > MAX_TTL_SECONDS)) {
            throw new InvalidRequestException("ttl", "ttl must be a whole number of seconds from 1 to " + MAX_TTL_SECONDS
                    + " (ten years; got " + ttl + ")");
        }
        MemoryService.Written written = swarm.memory().put(namespace, key, value, ttl == null ? null : Duration.ofSeconds(ttl), agentId);
        return ResponseEntity.status(written.created() ? HttpStatus.CREATED : HttpStatus.OK).body(written.entry());
    }

    @GetMapping("/{namespace}/{key}")
    MemoryEntry retrieve(@PathVariable String namespace, @PathVariable String key,
                         @RequestParam(required = false) String agentId, Swarm swarm) {
        return swarm.memory().retrieve(namespace, key, agentId)
                .orElseThrow(() -> new NotFoundException("memory key", namespace + "/" + key));
    }

    @DeleteMapping("/{namespace}/{key}")
    ResponseEntity<Void> delete(@PathVariable String namespace, @PathVariable String key,
                                @RequestParam(required = false) String agentId, Swarm swarm) {
        if (!swarm.memory().delete(namespace, key, agentId)) {
            throw new NotFoundException("memory key", namespace + "/" + key);
        }
        return ResponseEntity.noContent().build();
    }

    /** Search: {@code q} matches text in keys and values (ignoring case), {@code prefix} the start of keys; neither lists all. */
    @GetMapping("/{namespace}")
    Map<String, Object> search(@PathVariable String namespace, @RequestParam(required = false) String q,
                               @RequestParam(required = false) String prefix,
                               @RequestParam(required = false) String agentId, Swarm swarm) {
        List<MemoryEntry> results = swarm.memory().search(namespace, blankToNull(prefix), blankToNull(q), agentId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("namespace", namespace);
        body.put("q", q);
        body.put("prefix", prefix);
        body.put("count", results.size());
        body.put("results", results);
        return body;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
