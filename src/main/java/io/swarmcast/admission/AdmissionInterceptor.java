package io.swarmcast.admission;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import lombok.RequiredArgsConstructor;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Set;

/**
 * Admission for the command APIs ({@code /api/agents}, {@code /api/tasks}, {@code /api/messages},
 * {@code /api/memory}, {@code /api/swarm}): a request that can cause events is admitted before its handler runs,
 * that is before it takes the domain lock, and its reservation is released once it is done. A refusal is an
 * {@link io.swarmcast.web.ApiException}, answered 503 by the shared error handler. Reads are not admitted,
 * except memory reads, which are recorded as {@code memory:operation} events.
 * Ingest is admitted by its controllers, which know after parsing how many events a request carries.
 */
@RequiredArgsConstructor
class AdmissionInterceptor implements HandlerInterceptor {

    static final String[] COMMAND_PATHS = {"/api/agents/**", "/api/tasks/**", "/api/messages/**", "/api/memory/**",
            "/api/swarm/**"};

    private static final String TICKET = AdmissionInterceptor.class.getName() + ".ticket";
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final Admission admission;

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && causesEvents(request)) {
            AdmissionCost cost = method.getMethodAnnotation(AdmissionCost.class);
            request.setAttribute(TICKET, admission.admit(cost != null ? cost.events() : Admission.EVENTS_PER_COMMAND));
        }
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (request.getAttribute(TICKET) instanceof Admission.Ticket ticket) {
            ticket.close();
        }
    }

    private static boolean causesEvents(HttpServletRequest request) {
        return !READS.contains(request.getMethod())
                || ("GET".equals(request.getMethod()) && request.getRequestURI().startsWith("/api/memory/"));
    }
}
