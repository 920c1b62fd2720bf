package io.swarmcast.server;

import io.swarmcast.DaemonThreads;
import io.swarmcast.SwarmcastProperties;
import io.swarmcast.web.RejectionLog;
import lombok.extern.slf4j.Slf4j;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

import java.lang.reflect.Field;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for a whole HTTP request header, which Tomcat does not have: its {@code connectionTimeout} is
 * per read, so a client that trickles one header line every few seconds (slowloris), or a WebSocket handshake
 * left half sent, keeps its connection, and a few thousand of them once filled Tomcat's connection limit and
 * made health and WebSocket unreachable. Every second this checks each connection of every connector: one still
 * reading its request line or headers more than {@code connections.request-header-timeout} after its first byte
 * is dropped through Tomcat's own path for a timed-out read ({@link #drop}), so within about a second of the
 * deadline. Connections that sent nothing yet are Tomcat's
 * {@code connectionTimeout}'s business ({@link TomcatConnectionLimits}); upgraded (WebSocket) connections and
 * requests being served are never touched.
 *
 * <p>Reads Tomcat's endpoint from {@code AbstractProtocol}'s private field (Tomcat 11), like
 * {@link TomcatFrameSocket}; if a Tomcat upgrade moves it, this logs a warning and stays off, and
 * {@code SlowRequestsIT} fails.
 */
@Slf4j
@Component
class RequestHeaderDeadline implements ApplicationListener<WebServerInitializedEvent>, DisposableBean {

    private final long deadlineNanos;
    private final List<AbstractEndpoint<?, ?>> endpoints = new ArrayList<>();
    private ScheduledExecutorService timer;

    RequestHeaderDeadline(SwarmcastProperties properties) {
        this.deadlineNanos = properties.connections().requestHeaderTimeout().toNanos();
    }

    @Override
    public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
        if (deadlineNanos <= 0 || timer != null || !(event.getWebServer() instanceof TomcatWebServer tomcat)) {
            return;
        }
        for (Connector connector : tomcat.getTomcat().getService().findConnectors()) {
            AbstractEndpoint<?, ?> endpoint = endpointOf(connector);
            if (endpoint == null) {
                return;
            }
            endpoints.add(endpoint);
        }
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("swarmcast-header-deadline"));
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    /** Gives every connection whose request header is overdue a read timeout of 1 ms. Returns how many. */
    int check() {
        int expired = 0;
        long now = System.nanoTime();
        try {
            for (AbstractEndpoint<?, ?> endpoint : endpoints) {
                for (SocketWrapperBase<?> connection : endpoint.getConnections()) {
                    if (headerOverdue(connection, now)) {
                        drop(endpoint, connection);
                        expired++;
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("request header deadline check failed", e);
        }
        if (expired > 0) {
            RejectionLog.info("request-header-timeout", "dropping {} connection(s) whose request header took over {} ms",
                    expired, TimeUnit.NANOSECONDS.toMillis(deadlineNanos));
        }
        return expired;
    }

    /**
     * Drops the connection the way Tomcat's poller drops one whose read timed out: the error is recorded and an
     * ERROR event is processed for the socket on Tomcat's executor, under the socket's lock, which closes it
     * and recycles its processor. (Lowering the socket's read timeout and leaving it to the poller does not
     * work: the poller checks timeouts right after a select, when the sockets that just sent a line, as a
     * trickler keeps doing, are not registered for reading.)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void drop(AbstractEndpoint endpoint, SocketWrapperBase connection) {
        connection.setError(new SocketTimeoutException("request header not complete in time"));
        if (!endpoint.processSocket(connection, SocketEvent.ERROR, true)) {
            connection.close();
        }
    }

    private boolean headerOverdue(SocketWrapperBase<?> connection, long now) {
        // Tomcat takes a connection's processor off it while a thread works on it, and leaves it there only while
        // the connection waits for more of a request it has started to read (or for an async request, or as an
        // upgraded connection's processor, neither of which is a plain Http11Processor waiting for input).
        if (!(connection.getCurrentProcessor() instanceof Http11Processor processor) || processor.isAsync()) {
            return false;
        }
        long started = processor.getRequest().getStartTimeNanos();
        return started != -1 && now - started > deadlineNanos;
    }

    @Override
    public synchronized void destroy() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private static AbstractEndpoint<?, ?> endpointOf(Connector connector) {
        try {
            Field field = AbstractProtocol.class.getDeclaredField("endpoint");
            field.setAccessible(true);
            return (AbstractEndpoint<?, ?>) field.get(connector.getProtocolHandler());
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("No deadline for request headers: Tomcat's AbstractProtocol.endpoint was not found ({}); "
                    + "slow requests are bounded only by the per-read connectionTimeout", e.toString());
            return null;
        }
    }
}
