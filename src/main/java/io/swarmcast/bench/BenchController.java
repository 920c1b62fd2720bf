package io.swarmcast.bench;

import lombok.RequiredArgsConstructor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import io.swarmcast.web.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /bench/emit?rate=R&seconds=S}: runs {@link InProcessLoad} and answers when it is done with
 * {@code {"emitted":n,"seconds":s,"rate":r}}. {@code rate=0} means as fast as one thread can publish.
 * 409 while another run is in progress. Exists only with {@code swarmcast.bench.enabled=true}.
 */
@RequiredArgsConstructor
@RestController
@ConditionalOnProperty(prefix = "swarmcast.bench", name = "enabled", havingValue = "true")
class BenchController {

    static final double MAX_SECONDS = 600;
    static final double MAX_RATE = 10_000_000;

    private final InProcessLoad load;

    @PostMapping("/bench/emit")
    ResponseEntity<Map<String, Object>> emit(@RequestParam(defaultValue = "1000") double rate,
                                             @RequestParam(defaultValue = "10") double seconds) throws InterruptedException {
        if (!(rate >= 0 && rate <= MAX_RATE)) {
            return error(HttpStatus.BAD_REQUEST, "rate must be between 0 (as fast as possible) and " + (long) MAX_RATE, "rate");
        }
        if (!(seconds > 0 && seconds <= MAX_SECONDS)) {
            return error(HttpStatus.BAD_REQUEST, "seconds must be more than 0 and at most " + (long) MAX_SECONDS, "seconds");
        }
        InProcessLoad.Result result = load.run(rate, seconds);
        if (result == null) {
            return error(HttpStatus.CONFLICT, "a benchmark run is already in progress", null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("emitted", result.emitted());
        body.put("seconds", result.seconds());
        body.put("rate", result.rate());
        return ResponseEntity.ok(body);
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message, String field) {
        return ApiError.response(status, ApiError.defaultCode(status, field), message, field, null);
    }
}
