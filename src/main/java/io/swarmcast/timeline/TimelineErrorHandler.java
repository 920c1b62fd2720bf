package io.swarmcast.timeline;

import io.swarmcast.web.ApiError;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.Map;

/**
 * The one JSON error body, plus where the retained history starts: a 410 {@code history_trimmed} carries
 * {@code oldestSeq} and {@code oldestTime} (the oldest point that can be asked for), a 400 {@code beyond_head}
 * carries {@code newestSeq}. Ahead of the general handler, which would leave them out.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice
class TimelineErrorHandler {

    @ExceptionHandler(PointUnavailableException.class)
    ResponseEntity<Map<String, Object>> unavailable(PointUnavailableException e) {
        Map<String, Object> body = ApiError.body(e.getCode(), e.getMessage(), e.getField(), null);
        if (PointUnavailableException.BEYOND_HEAD.equals(e.getCode())) {
            body.put("newestSeq", e.getOldestSeq());
        } else {
            body.put("oldestSeq", e.getOldestSeq());
            if (e.getOldestTime() != null) {
                body.put("oldestTime", e.getOldestTime());
            }
        }
        return ResponseEntity.status(e.getStatus()).body(body);
    }
}
