package io.swarmcast.ingest;

import io.swarmcast.web.ApiError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import lombok.RequiredArgsConstructor;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.OptionalInt;

/** Keeps the compatibility port to its one job: {@code POST /event}. Everything else there is 404. */
@RequiredArgsConstructor
@Component
class CompatPortFilter extends OncePerRequestFilter {

    private final CompatPort compatPort;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        OptionalInt port = compatPort.localPort();
        if (port.isPresent() && request.getLocalPort() == port.getAsInt() && !"/event".equals(request.getRequestURI())) {
            ApiError.write(response, HttpStatus.NOT_FOUND, ApiError.NOT_FOUND, "the compatibility port serves only POST /event");
            return;
        }
        chain.doFilter(request, response);
    }
}
