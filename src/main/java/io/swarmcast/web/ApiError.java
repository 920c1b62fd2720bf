package io.swarmcast.web;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON error body every HTTP surface answers with (commands, ingest, state, security, admission):
 * {@code {"error": "<what went wrong, for a person>", "code": "<for a program>", "field": ..., "index": ...}}.
 * {@code field} names the offending field when one is at fault; {@code index} the offending event of a batch.
 */
public final class ApiError {

    /** A field's value is missing, of the wrong type or out of range. */
    public static final String INVALID_FIELD = "invalid_field";
    /** The request as a whole is malformed (not JSON, empty, wrong shape). */
    public static final String BAD_REQUEST = "bad_request";
    public static final String NOT_FOUND = "not_found";
    public static final String CONFLICT = "conflict";
    public static final String TOO_LARGE = "too_large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String FORBIDDEN = "forbidden";
    /** Delivery is too far behind: nothing of the request was taken; try again after Retry-After. */
    public static final String OVERLOADED = "overloaded";
    /** The server is stopping: nothing of the request was taken. */
    public static final String SHUTTING_DOWN = "shutting_down";
    /** The event log (a shared log's Redis) cannot take events now: nothing of the request was taken; try again. */
    public static final String LOG_UNAVAILABLE = "log_unavailable";
    /** 429: a new swarm id past {@code limits.max-swarms}. */
    public static final String TOO_MANY_SWARMS = "too_many_swarms";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ApiError() {
    }

    /** Writes the body from a servlet filter, where no controller advice runs (security, limits, the compat port). */
    public static void write(HttpServletResponse response, HttpStatus status, String code, String message)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(JSON.writeValueAsBytes(body(code, message, null, null)));
    }

    public static Map<String, Object> body(String code, String message, String field, Integer index) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("code", code);
        if (field != null) {
            body.put("field", field);
        }
        if (index != null) {
            body.put("index", index);
        }
        return body;
    }

    public static ResponseEntity<Map<String, Object>> response(HttpStatus status, String code, String message,
                                                               String field, Integer index) {
        return ResponseEntity.status(status).body(body(code, message, field, index));
    }

    /** The code for a status when the thrower named none: a field at fault makes a 400 {@code invalid_field}. */
    public static String defaultCode(HttpStatus status, String field) {
        return switch (status) {
            case BAD_REQUEST -> field != null ? INVALID_FIELD : BAD_REQUEST;
            case NOT_FOUND -> NOT_FOUND;
            case CONFLICT -> CONFLICT;
            case CONTENT_TOO_LARGE -> TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE -> UNSUPPORTED_MEDIA_TYPE;
            case UNAUTHORIZED -> UNAUTHORIZED;
            case FORBIDDEN -> FORBIDDEN;
            case SERVICE_UNAVAILABLE -> OVERLOADED;
            default -> status.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
