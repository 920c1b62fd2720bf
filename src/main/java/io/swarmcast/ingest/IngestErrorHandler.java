package io.swarmcast.ingest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a refused ingest request into the JSON error body of PROTOCOL.md section 5. */
@RestControllerAdvice(basePackageClasses = IngestErrorHandler.class)
class IngestErrorHandler {

    @ExceptionHandler(IngestException.class)
    ResponseEntity<Map<String, Object>> refused(IngestException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        if (e.getIndex() != null) {
            body.put("index", e.getIndex());
        }
        if (e.getField() != null) {
            body.put("field", e.getField());
        }
        return ResponseEntity.status(e.getStatus()).body(body);
    }
}
