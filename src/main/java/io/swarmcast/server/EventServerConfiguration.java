package io.swarmcast.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcast.DaemonThreads;
import io.swarmcast.SwarmcastProperties;
import io.swarmcast.admission.DeliveryBacklog;
import io.swarmcast.event.FrameCodec;
import io.swarmcast.log.EventLog;
import io.swarmcast.swarm.Swarms;
import io.swarmcast.log.StateTailListener;
import io.swarmcast.log.StoredEvent;
import io.swarmcast.timeline.Timeline;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Builds the event server's collaborators, each a bean a test or another deployment can replace (a shared
 * event log, a different socket path, a different snapshot source). Nothing here starts a thread:
 * {@link EventServer#start()} does, as a lifecycle step.
 *
 * <p>The walk of one event through these beans: {@link EventServer#broadcastAll} appends to the
 * {@link EventLog}, whose tail hands it to the {@link FanOut}; its delivery thread updates the
 * {@link StateProjection} and queues the frame on each subscribed {@link ClientSession}'s {@link OutboundQueue};
 * {@link Connections} owns the sessions' lives and {@link ClientRequestHandler} what clients ask for.
 */
@Configuration(proxyBeanMethods = false)
class EventServerConfiguration {

    /**
     * Threads for the few socket operations that may block: writing a close frame (at most 50 ms, 1 ms to a full
     * socket), a direct write finishing behind a frame Tomcat has just written on the same connection, the direct
     * path's tries for Tomcat's message lock (short: a write that finds the lock taken polls for it rather than
     * waiting here, since a stuck client's wait held a thread up to the send-time limit, with a reader's write
     * queued behind), and on the standard path a ping, which blocks while the client's socket is full (up to the
     * send-time limit). Bounded, so that a thousand clients closed at once cannot become a thousand threads. Idle
     * threads end after 30 s; tasks beyond the bound wait in the queue, which holds at most a few per connection.
     */
    static final int BLOCKING_SEND_THREADS = 64;

    @Bean
    ServerIdentity serverIdentity(SwarmcastProperties properties) {
        return ServerIdentity.of(properties);
    }

    @Bean
    SessionRegistry sessionRegistry(SwarmcastProperties properties) {
        return new SessionRegistry(properties.maxConnections());
    }

    @Bean
    ServerMetrics serverMetrics(MeterRegistry meterRegistry, SessionRegistry registry) {
        return new ServerMetrics(meterRegistry, registry::size);
    }

    @Bean
    SwarmProjections swarmProjections(SwarmcastProperties properties) {
        return new SwarmProjections(properties.tasks(), System::currentTimeMillis);
    }

    @Bean(destroyMethod = "close")
    FanOut fanOut(SessionRegistry registry, FrameCodec codec, SwarmProjections state, ServerMetrics metrics,
                  EventLog eventLog, DeliveryBacklog backlog, ControlFrames frames,
                  ObjectProvider<StateTailListener> stateFolds) {
        FanOut fanOut = new FanOut(registry, codec, state, metrics, eventLog.newestSeq(), backlog);
        List<EventLog.TailListener> listeners = new ArrayList<>(stateFolds.orderedStream().toList());
        listeners.add(new LiveTail(fanOut, frames, registry));
        eventLog.tail(listeners.size() == 1 ? listeners.get(0) : new InOrder(listeners));
        return fanOut;
    }

    /**
     * Tail listeners other beans add (the shared log's state fold, io.swarmcast.replica) run first, each event in
     * turn, so the domain state has applied an event before any client receives it.
     */
    private record InOrder(List<EventLog.TailListener> listeners) implements EventLog.TailListener {
        @Override
        public void appended(StoredEvent event) {
            for (EventLog.TailListener listener : listeners) {
                listener.appended(event);
            }
        }

        @Override
        public void historyBroken(String epoch, long fromSeq) {
            for (EventLog.TailListener listener : listeners) {
                listener.historyBroken(epoch, fromSeq);
            }
        }
    }

    @Bean
    ControlFrames controlFrames(ObjectMapper mapper) {
        return new ControlFrames(mapper, System::currentTimeMillis);
    }

    @Bean
    ClientRequestParser clientRequestParser(ObjectMapper mapper, SwarmcastProperties properties) {
        return new ClientRequestParser(mapper, properties.limits().replayDefaultLimit(),
                properties.limits().replayMaxLimit(), properties.timeline().playbackMaxSpeed());
    }

    @Bean(destroyMethod = "close")
    Playbacks playbacks(EventLog eventLog, Timeline timeline, FanOut fanOut, ControlFrames frames, FrameCodec codec,
                        SwarmProjections snapshots, SwarmcastProperties properties) {
        SwarmcastProperties.Timeline settings = properties.timeline();
        return new Playbacks(eventLog, timeline, fanOut, frames, codec, snapshots, settings.maxPlaybacks(),
                settings.playbackPage(), properties.limits().replayMaxLimit(),
                properties.limits().replyBufferLimit().toBytes());
    }

    @Bean
    ClientRequestHandler clientRequestHandler(ClientRequestParser parser, ControlFrames frames, FrameCodec codec,
                                              EventLog eventLog, FanOut fanOut, SwarmProjections snapshots,
                                              Swarms swarms, SwarmcastProperties properties, ServerMetrics metrics,
                                              Playbacks playbacks) {
        // Conflating starts at the latest when the live bound would close the client.
        long threshold = Math.min(properties.conflation().threshold().toBytes(),
                properties.limits().sendBufferLimit().toBytes());
        long heldLimit = properties.conflation().heldLimit().toBytes();
        return new ClientRequestHandler(parser, frames, codec, eventLog, fanOut, snapshots, swarms::exists,
                () -> new Conflation(threshold, heldLimit, frames::conflated, metrics::framesConflated), playbacks);
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService blockingSends() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(BLOCKING_SEND_THREADS, BLOCKING_SEND_THREADS,
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), DaemonThreads.named("swarmcast-blocking-send"));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    @Bean
    Connections connections(SwarmcastProperties properties, SessionRegistry registry, ClientRequestHandler requests,
                            ControlFrames frames, ServerMetrics metrics, ExecutorService blockingSends,
                            FrameSocketFactory sockets, ServerIdentity identity, EventLog eventLog,
                            AddressAdmission addresses) {
        return new Connections(properties, registry, requests, frames, metrics, blockingSends, sockets, System::nanoTime,
                identity.serverId(), new Connections.WelcomeState() {
                    @Override
                    public String epoch() {
                        return eventLog.epoch();
                    }

                    @Override
                    public long newestSeq() {
                        return eventLog.newestSeq();
                    }
                }, addresses);
    }
}
