package io.swarmcast.web;

import io.swarmcast.domain.ConflictException;
import io.swarmcast.domain.InvalidRequestException;
import io.swarmcast.domain.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import lombok.extern.slf4j.Slf4j;
import io.swarmcast.log.EventLogUnavailableException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.io.IOException;
import java.util.Map;

/**
 * The error answers of every controller, in the {@link ApiError} body: 400 for a bad body or parameter
 * ({@code invalid_field} when one field is at fault), 404 for an unknown id, 409 for a state that forbids the
 * command, and whatever status an {@link ApiException} names (413, 415, 503...). Client mistakes are answers,
 * never logged stack traces.
 */
@Slf4j
@RestControllerAdvice
class ApiErrorHandler {

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, Object>> refused(ApiException e, HttpServletRequest request) {
        if (e.getStatus() == HttpStatus.BAD_REQUEST || e.getStatus() == HttpStatus.CONTENT_TOO_LARGE) {
            RejectionLog.info(e.getCode(), "{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        }
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
    ResponseEntity<Map<String, Object>> invalid(InvalidRequestException e, HttpServletRequest request) {
        return rejected(request, HttpStatus.BAD_REQUEST, e.getMessage(), e.getField());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Map<String, Object>> invalidBody(MethodArgumentNotValidException e) {
        FieldError first = e.getBindingResult().getFieldError();
        if (first == null) {
            return error(HttpStatus.BAD_REQUEST, "invalid request body", null);
        }
        return error(HttpStatus.BAD_REQUEST, first.getField() + " " + first.getDefaultMessage(), first.getField());
    }

    /** A body that passed its limit while being read (see {@link BodyLimitFilter}): 413, nothing of it taken. */
    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<Map<String, Object>> tooLarge(BodyTooLargeException e, HttpServletRequest request) {
        return rejected(request, HttpStatus.CONTENT_TOO_LARGE, e.getMessage(), null);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        BodyTooLargeException tooLarge = causeOf(e, BodyTooLargeException.class);
        if (tooLarge != null) {
            return tooLarge(tooLarge, request);
        }
        Throwable cause = e.getMostSpecificCause();
        String field = null;
        if (cause instanceof tools.jackson.databind.DatabindException databind && !databind.getPath().isEmpty()) {
            field = databind.getPath().get(databind.getPath().size() - 1).getPropertyName();
        }
        String message = field != null ? field + " has the wrong type or format" : "request body is not valid JSON";
        return rejected(request, HttpStatus.BAD_REQUEST, message, field);
    }

    /** A query parameter or path variable that does not convert ({@code ?ttl=soon}): 400 naming it, like a bad body field. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> badParameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        Class<?> type = e.getRequiredType();
        String expected = type == null ? "of another type"
                : Number.class.isAssignableFrom(type) || type == long.class || type == int.class ? "a number"
                : type == Boolean.class || type == boolean.class ? "true or false"
                : "a " + type.getSimpleName();
        return rejected(request, HttpStatus.BAD_REQUEST, e.getName() + " must be " + expected + " (got '" + e.getValue() + "')", e.getName());
    }

    /**
     * Everything else. Spring's own client errors (405 with its Allow header, 406, 415, 404 for no such resource,
     * a missing parameter) carry their status: answered in the same body, one rate-limited INFO line. A body the
     * client broke off is a 400 of the same kind. Anything left is a bug of the server: 500 with the body and one
     * ERROR entry; Spring and Tomcat log nothing more, since the exception ends here.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse spring && spring.getStatusCode().is4xxClientError()) {
            HttpStatus status = HttpStatus.valueOf(spring.getStatusCode().value());
            String field = e instanceof MissingServletRequestParameterException missing ? missing.getParameterName() : null;
            String detail = spring.getBody().getDetail();
            String message = detail != null ? detail : status.getReasonPhrase();
            RejectionLog.info(ApiError.defaultCode(status, field), "{} {}: {}", request.getMethod(), request.getRequestURI(), message);
            return ResponseEntity.status(status).headers(spring.getHeaders()).contentType(MediaType.APPLICATION_JSON)
                    .body(ApiError.body(ApiError.defaultCode(status, field), message, field, null));
        }
        if (causeOf(e, IOException.class) != null) {
            return rejected(request, HttpStatus.BAD_REQUEST, "the request body could not be read", null);
        }
        log.error("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.toString(), e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.body(ApiError.defaultCode(HttpStatus.INTERNAL_SERVER_ERROR, null), "the server failed to handle this request; the failure is logged", null, null));
    }

    private static ResponseEntity<Map<String, Object>> rejected(HttpServletRequest request, HttpStatus status, String message,
                                                                String field) {
        RejectionLog.info(ApiError.defaultCode(status, field), "{} {}: {}", request.getMethod(), request.getRequestURI(), message);
        return error(status, message, field);
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message, String field) {
        // The type is set here so that a client asking for another (Accept: text/html) still gets the JSON body.
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(ApiError.body(ApiError.defaultCode(status, field), message, field, null));
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
