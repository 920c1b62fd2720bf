package io.swarmcast.web;

import io.swarmcast.domain.ConflictException;
import io.swarmcast.domain.InvalidRequestException;
import io.swarmcast.domain.NotFoundException;
import io.swarmcast.log.EventLogUnavailableException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.util.Map;

/**
 * The error answers of every controller, in the {@link ApiError} body: 400 for a bad body or parameter
 * ({@code invalid_field} when one field is at fault), 404 for an unknown id, 409 for a state that forbids the
 * command, and whatever status an {@link ApiException} names (413, 415, 503...). Client mistakes are answers,
 * never logged stack traces.
 */
@RestControllerAdvice
class ApiErrorHandler {

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, Object>> refused(ApiException e) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.getStatus());
        if (e.getRetryAfterSeconds() != null) {
            answer.header(HttpHeaders.RETRY_AFTER, Integer.toString(e.getRetryAfterSeconds()));
        }
        return answer.body(ApiError.body(e.getCode(), e.getMessage(), e.getField(), e.getIndex()));
    }

    /** The event log could not take the events: 503, never a 202 for events that may not be stored. */
    @ExceptionHandler(EventLogUnavailableException.class)
    ResponseEntity<Map<String, Object>> logUnavailable(EventLogUnavailableException e) {
        RejectionLog.info("log_unavailable", "{}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(ApiError.body(ApiError.LOG_UNAVAILABLE, e.getMessage(), null, null));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Map<String, Object>> notFound(NotFoundException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage(), null);
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<Map<String, Object>> conflict(ConflictException e) {
        return error(HttpStatus.CONFLICT, e.getMessage(), null);
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<Map<String, Object>> invalid(InvalidRequestException e) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage(), e.getField());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Map<String, Object>> invalidBody(MethodArgumentNotValidException e) {
        FieldError first = e.getBindingResult().getFieldError();
        if (first == null) {
            return error(HttpStatus.BAD_REQUEST, "invalid request body", null);
        }
        return error(HttpStatus.BAD_REQUEST, first.getField() + " " + first.getDefaultMessage(), first.getField());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        String field = null;
        if (cause instanceof tools.jackson.databind.DatabindException databind && !databind.getPath().isEmpty()) {
            field = databind.getPath().get(databind.getPath().size() - 1).getPropertyName();
        }
        String message = field != null ? field + " has the wrong type or format" : "request body is not valid JSON";
        return error(HttpStatus.BAD_REQUEST, message, field);
    }

    /** A query parameter or path variable that does not convert ({@code ?ttl=soon}): 400 naming it, like a bad body field. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> badParameter(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        String expected = type == null ? "of another type"
                : Number.class.isAssignableFrom(type) || type == long.class || type == int.class ? "a number"
                : type == Boolean.class || type == boolean.class ? "true or false"
                : "a " + type.getSimpleName();
        return error(HttpStatus.BAD_REQUEST, e.getName() + " must be " + expected + " (got '" + e.getValue() + "')", e.getName());
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message, String field) {
        return ApiError.response(status, ApiError.defaultCode(status, field), message, field, null);
    }
}
