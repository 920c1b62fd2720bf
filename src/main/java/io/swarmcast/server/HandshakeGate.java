package io.swarmcast.server;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.web.ApiError;
import io.swarmcast.web.RejectionLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets only a few WebSocket handshakes be processed at once, server-wide, so that a reconnect storm cannot take
 * the CPU from the delivery thread.
 *
 * <p>Why: when 500 clients reconnect at once, each handshake runs on its own request thread (Tomcat has up to 200),
 * and the kernel shares the CPU per runnable thread. On two cores the one {@code swarmcast-delivery} thread then
 * got a small share and spent more time waiting for a core than running, so every live client's events waited
 * (docs/benchmarks.md, "The reconnect storm, handshakes gated"). With at most {@code connections.handshake-concurrency}
 * handshakes running (one per core by default) the storm takes a little longer and delivery keeps its share.
 *
 * <p>A handshake waits for a slot in arrival order (a fair semaphore) for at most
 * {@code connections.handshake-wait}; while it waits it holds a request thread, so at most
 * {@code connections.handshake-queue} may wait and the rest of the threads stay free for producers. A handshake
 * beyond either bound is answered 503 {@code overloaded} with {@code Retry-After: 1} (docs/protocol.md 7.9), before
 * any WebSocket exists; plain HTTP requests never meet the gate. It runs after the security filter, so a
 * handshake without a valid token never takes or waits for a slot.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
final class HandshakeGate extends OncePerRequestFilter {

    static final String RETRY_AFTER_SECONDS = "1";

    private final Semaphore slots;
    private final int maxWaiting;
    private final long waitNanos;
    private final AtomicInteger waiting = new AtomicInteger();

    HandshakeGate(SwarmcastProperties properties) {
        SwarmcastProperties.Connections connections = properties.connections();
        int concurrency = connections.handshakeConcurrency() > 0 ? connections.handshakeConcurrency()
                : Runtime.getRuntime().availableProcessors();
        this.slots = new Semaphore(concurrency, true);
        this.maxWaiting = connections.handshakeQueue();
        this.waitNanos = connections.handshakeWait().toNanos();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isWebSocketHandshake(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!acquire()) {
            RejectionLog.info("websocket-handshakes-busy", "{} handshakes waiting for a slot: refused one from {}",
                    waiting.get(), request.getRemoteAddr());
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            ApiError.write(response, HttpStatus.SERVICE_UNAVAILABLE, ApiError.OVERLOADED,
                    "too many WebSocket handshakes at once; try again in a second");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            slots.release();
        }
    }

    /** A free slot at once, or a place among the waiters and a slot within the wait; false when neither. */
    private boolean acquire() {
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            return slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Handshakes waiting for a slot now (tests, metrics). */
    int waiting() {
        return waiting.get();
    }

    static boolean isWebSocketHandshake(HttpServletRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
    }
}
