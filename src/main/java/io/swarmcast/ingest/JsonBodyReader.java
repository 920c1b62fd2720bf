package io.swarmcast.ingest;

import jakarta.servlet.http.HttpServletRequest;
import lombok.RequiredArgsConstructor;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * Reads an ingest request body as JSON; non-JSON is 400. The size is bounded before this reads anything:
 * {@code web.BodyLimitFilter} refuses a Content-Length over {@code limits.max-body-size} with 413 and counts a
 * chunked body as it is read, failing this read with {@code BodyTooLargeException} (413) once it passes the limit.
 */
@RequiredArgsConstructor
@Component
class JsonBodyReader {

    /** A body and its size in bytes, which tells whether any one event in it can be over the event limit. */
    record JsonBody(JsonNode json, int size) {
    }

    private final ObjectMapper mapper;

    JsonBody read(HttpServletRequest request) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        if (body.length == 0) {
            throw IngestException.badRequest("request body is empty; expected JSON");
        }
        try {
            return new JsonBody(mapper.readTree(body), body.length);
        } catch (JacksonException e) {
            throw IngestException.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
