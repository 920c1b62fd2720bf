package io.swarmcast.server;

import io.swarmcast.DaemonThreads;
import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcast.SwarmcastProperties;
import io.swarmcast.event.AgentStatusEvent;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.event.FrameCodec;
import io.swarmcast.event.MemoryOperationEvent;
import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MetricsUpdateEvent;
import io.swarmcast.event.TaskUpdateEvent;
import io.swarmcast.event.TopologyChangeEvent;
import io.swarmcast.log.EventLog;
import io.swarmcast.log.StoredEvent;
import lombok.extern.slf4j.Slf4j;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The event server of the original specification: {@code start}, {@code stop}, the {@code emit*} methods,
 * {@code broadcast} and {@code getConnectedClients}. Every durable event goes through the {@link EventLog},
 * whose tail feeds delivery; metrics are ephemeral and go straight to delivery. A {@link SmartLifecycle}
 * bean: it starts after the web server and stops before it, so clients get their queued frames and a
 * 1001 close before the port goes away.
 */
@Slf4j
@Component
public class EventServer implements SmartLifecycle, DisposableBean {

    private final SwarmcastProperties properties;
    private final EventLog eventLog;
    private final FanOut fanOut;
    private final SessionRegistry registry;
    private final Connections connections;
    private final String serverId;
    /** Seqs appended by the current thread while it runs {@link #recordingSeqs}; null when not recording. */
    private final ThreadLocal<List<Long>> recordedSeqs = new ThreadLocal<>();
    private ScheduledExecutorService timers;
    private volatile boolean running;

    public EventServer(SwarmcastProperties properties, EventLog eventLog, FrameCodec codec, ObjectMapper mapper,
                       MeterRegistry meterRegistry, AddressAdmission admission) {
        this.properties = properties;
        this.eventLog = eventLog;
        this.serverId = serverId(properties);
        this.registry = new SessionRegistry(properties.maxConnections());
        ServerMetrics metrics = new ServerMetrics(meterRegistry, registry::size);
        StateProjection state = new StateProjection(properties.tasks(), System::currentTimeMillis);
        this.fanOut = new FanOut(registry, codec, state, metrics, eventLog.newestSeq());
        eventLog.tail(fanOut);
        fanOut.start();
        ControlFrames frames = new ControlFrames(mapper, System::currentTimeMillis);
        ClientRequestParser parser = new ClientRequestParser(mapper, properties.limits().replayDefaultLimit(),
                properties.limits().replayMaxLimit());
        ClientRequestHandler requests = new ClientRequestHandler(parser, frames, codec, eventLog, fanOut, state);
        ExecutorService blockingSends = Executors.newCachedThreadPool(DaemonThreads.named("swarmcast-blocking-send"));
        this.connections = new Connections(properties, registry, requests, frames, metrics, blockingSends, System::nanoTime,
                serverId, new Connections.WelcomeState() {
                    @Override
                    public String epoch() {
                        return eventLog.epoch();
                    }

                    @Override
                    public long newestSeq() {
                        return eventLog.newestSeq();
                    }
                }, admission);
    }

    /** Publishes one event to every client subscribed to its channel. Returns its seq, or 0 for an ephemeral event. */
    public long broadcast(DashboardEvent event) {
        return broadcastAll(List.of(event)).get(0);
    }

    /**
     * Publishes several events; the durable ones enter the log together, with consecutive seqs.
     *
     * @return each event's seq, in the order given; 0 for ephemeral events
     */
    public List<Long> broadcastAll(List<? extends DashboardEvent> events) {
        List<Long> seqs = new ArrayList<>(events.size());
        List<DashboardEvent> durableRun = new ArrayList<>(events.size());
        for (DashboardEvent event : events) {
            if (event.durable()) {
                durableRun.add(event);
            } else {
                // Append the durable events before it first, so delivery keeps the order given.
                appendRun(durableRun, seqs);
                fanOut.enqueueEphemeral(event);
                seqs.add(0L);
            }
        }
        appendRun(durableRun, seqs);
        fanOut.wake();
        // A producer faster than delivery waits here rather than queue events without bound.
        fanOut.awaitBacklogBelowLimit(properties.limits().sendTimeLimit().toNanos());
        return seqs;
    }

    private void appendRun(List<DashboardEvent> run, List<Long> seqs) {
        if (run.isEmpty()) {
            return;
        }
        List<Long> recording = recordedSeqs.get();
        for (StoredEvent stored : eventLog.append(run)) {
            seqs.add(stored.seq());
            if (recording != null) {
                recording.add(stored.seq());
            }
        }
        run.clear();
    }

    /**
     * Runs {@code work} and returns the seqs of the durable events it published on this thread, in order:
     * how ingest learns the seqs of events that a domain service raised on its behalf.
     */
    public List<Long> recordingSeqs(Runnable work) {
        List<Long> outer = recordedSeqs.get();
        List<Long> seqs = new ArrayList<>();
        recordedSeqs.set(seqs);
        try {
            work.run();
        } finally {
            recordedSeqs.set(outer);
        }
        if (outer != null) {
            outer.addAll(seqs);
        }
        return seqs;
    }

    public long emitAgentStatus(AgentStatusEvent event) {
        return broadcast(event);
    }

    public long emitTaskUpdate(TaskUpdateEvent event) {
        return broadcast(event);
    }

    public long emitMessage(MessageSentEvent event) {
        return broadcast(event);
    }

    public long emitMemoryOperation(MemoryOperationEvent event) {
        return broadcast(event);
    }

    public long emitTopologyChange(TopologyChangeEvent event) {
        return broadcast(event);
    }

    /** Metrics are ephemeral: delivered live and kept as the channel's snapshot, never stored or replayed. */
    public void emitMetrics(MetricsUpdateEvent event) {
        broadcast(event);
    }

    public int getConnectedClients() {
        return registry.size();
    }

    public String serverId() {
        return serverId;
    }

    public String epoch() {
        return eventLog.epoch();
    }

    public long newestSeq() {
        return eventLog.newestSeq();
    }

    public int historySize() {
        return eventLog.size();
    }

    Connections connections() {
        return connections;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        timers = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("swarmcast-heartbeat"));
        long heartbeat = properties.heartbeatInterval().toMillis();
        timers.scheduleAtFixedRate(guarded(connections::heartbeat), heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        long sendCheck = Math.max(50, Math.min(1000, properties.limits().sendTimeLimit().toMillis() / 4));
        timers.scheduleAtFixedRate(guarded(connections::checkSends), sendCheck, sendCheck, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(guarded(connections::closeUnsubscribed), 1, 1, TimeUnit.SECONDS);
        connections.startAccepting();
        running = true;
        log.info("Swarmcast event server {} running: epoch {}, history {} events, max {} clients", serverId,
                eventLog.epoch(), properties.historySize(), properties.maxConnections());
    }

    /** Stops taking clients, gives queued frames up to the flush timeout to go out, then closes everyone with 1001. */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        connections.stopAccepting();
        long deadline = System.nanoTime() + properties.limits().shutdownFlushTimeout().toNanos();
        while (!(fanOut.isIdle() && connections.allIdle()) && System.nanoTime() < deadline) {
            sleepQuietly(10);
        }
        connections.closeAll(CloseReason.SHUTDOWN);
        timers.shutdownNow();
        // Closing happens on the blocking-send threads; wait for the container to confirm each close.
        deadline = System.nanoTime() + properties.limits().shutdownFlushTimeout().toNanos();
        while (registry.size() > 0 && System.nanoTime() < deadline) {
            sleepQuietly(10);
        }
    }

    /** Ends the delivery thread with the application (it outlives a lifecycle stop, which a start may follow). */
    @Override
    public void destroy() {
        fanOut.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after the web server and, stopping in reverse, closes clients before the web server goes. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("scheduled connection check failed", e);
            }
        };
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String serverId(SwarmcastProperties properties) {
        if (properties.serverId() != null && !properties.serverId().isBlank()) {
            return properties.serverId();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "swarmcast";
        }
    }
}
