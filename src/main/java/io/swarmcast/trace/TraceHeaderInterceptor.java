package io.swarmcast.trace;

import io.swarmcast.event.Trace;
import io.swarmcast.web.ApiError;
import io.swarmcast.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The command APIs take a causal link from the headers {@value #TRACE_ID} and {@value #PARENT_ID}: every event the
 * command causes carries it. Headers rather than body fields, because not every command has a JSON object to put
 * them in ({@code PUT /api/memory/{ns}/{key}}'s body is the value itself; {@code POST /api/tasks/{id}/complete} has
 * none), and one rule for every command beats a field some accept and others ignore. A malformed header is a 400
 * {@code invalid_field} naming it, before anything is applied.
 *
 * <p>The scope is opened before the handler and closed after it completes, on the request's thread: Spring MVC runs
 * the handler, and so the service call and its events, on that thread.
 */
class TraceHeaderInterceptor implements HandlerInterceptor {

    static final String TRACE_ID = "X-Trace-Id";
    static final String PARENT_ID = "X-Parent-Id";

    private static final String SCOPE = TraceHeaderInterceptor.class.getName() + ".scope";

    private final TraceScope traces;

    TraceHeaderInterceptor(TraceScope traces) {
        this.traces = traces;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Trace trace = Trace.of(header(request, TRACE_ID), header(request, PARENT_ID));
        if (trace != null) {
            request.setAttribute(SCOPE, traces.open(trace));
        }
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (request.getAttribute(SCOPE) instanceof TraceScope.Open scope) {
            request.removeAttribute(SCOPE);
            scope.close();
        }
    }

    private static String header(HttpServletRequest request, String name) {
        String value = request.getHeader(name);
        if (value == null) {
            return null;
        }
        if (!Trace.validId(value)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, ApiError.INVALID_FIELD,
                    name + " must be " + Trace.ID_RULE, name, null, null);
        }
        return value;
    }
}
