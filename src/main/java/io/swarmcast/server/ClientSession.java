package io.swarmcast.server;

import io.swarmcast.event.Channel;
import org.springframework.web.socket.WebSocketSession;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One connected client: its send queue, its subscriptions and what the server knows of its liveness.
 * Subscriptions change only on the fan-out's ordered path, so a change takes effect exactly between
 * two events; everyone else only reads them.
 */
final class ClientSession {

    private final String clientId;
    private final WebSocketSession webSocket;
    private final OutboundQueue outbound;
    private final RateLimiter rateLimiter;
    private final InboundFrame inbound;
    private final AtomicReference<CloseReason> closeReason = new AtomicReference<>();
    private volatile Set<Channel> channels = Collections.unmodifiableSet(EnumSet.noneOf(Channel.class));
    /**
     * The swarm whose events this client receives (docs/protocol.md 7.15): null, the default swarm, until a subscribe
     * names another. Changed only on the fan-out's ordered path, together with the channels.
     */
    private volatile String swarm;
    private volatile long lastSeenNanos;
    /** System.nanoTime() since which the subscription set has been empty; {@link #SUBSCRIBED} while it is not. */
    private volatile long unsubscribedSinceNanos;
    /** The remote address whose slot this connection holds ({@link AddressAdmission}), or null when it holds none. */
    private volatile String addressSlot;

    static final long SUBSCRIBED = Long.MIN_VALUE;
    /** {@link #liveSuspendedAfter} while live delivery goes on. */
    static final long LIVE = -1;

    /**
     * The last seq delivered live before a playback suspended live delivery, or {@link #LIVE}. Written only on the
     * fan-out's ordered path, so suspension and resumption take effect exactly between two events.
     */
    private volatile long liveSuspendedAfter = LIVE;
    /** The connection's playback, or null; read and written only by the playback scheduler's thread. */
    private PlaybackSession playback;

    ClientSession(String clientId, WebSocketSession webSocket, OutboundQueue outbound, RateLimiter rateLimiter,
                  InboundFrame inbound, long nowNanos) {
        this.clientId = clientId;
        this.webSocket = webSocket;
        this.outbound = outbound;
        this.rateLimiter = rateLimiter;
        this.inbound = inbound;
        this.lastSeenNanos = nowNanos;
        this.unsubscribedSinceNanos = nowNanos;
    }

    String clientId() {
        return clientId;
    }

    WebSocketSession webSocket() {
        return webSocket;
    }

    OutboundQueue outbound() {
        return outbound;
    }

    RateLimiter rateLimiter() {
        return rateLimiter;
    }

    InboundFrame inbound() {
        return inbound;
    }

    /** Queues a frame and starts writing it unless a write is in flight. */
    boolean send(Outbound frame) {
        return outbound.send(frame);
    }

    /** Queues a frame for the next {@link #flush()}: lets the fan-out batch several events per write. */
    boolean enqueue(Outbound frame) {
        return outbound.offer(frame);
    }

    /** Queues the frames of one answer as a unit, for the next {@link #flush()} (see {@link OutboundQueue#offerAnswer}). */
    boolean enqueueAnswer(List<WireFrame> frames) {
        return outbound.offerAnswer(frames);
    }

    void flush() {
        outbound.flush();
    }

    Set<Channel> channels() {
        return channels;
    }

    boolean subscribedTo(Channel channel) {
        return channels.contains(channel);
    }

    /** The internal id of the swarm this client watches; null for the default swarm. */
    String swarm() {
        return swarm;
    }

    void swarm(String swarmId) {
        this.swarm = swarmId;
    }

    /**
     * Whether an event of this channel and swarm goes to this client: the delivery thread's whole filter, two
     * reads and a reference comparison in the common case (the default swarm's events and clients are both null).
     */
    boolean receives(Channel channel, String swarmId) {
        String mine = swarm;
        return channels.contains(channel) && (mine == swarmId || mine != null && mine.equals(swarmId));
    }

    void channels(Set<Channel> newChannels) {
        EnumSet<Channel> copy = EnumSet.noneOf(Channel.class);
        copy.addAll(newChannels);
        boolean wasEmpty = channels.isEmpty();
        this.channels = Collections.unmodifiableSet(copy);
        if (!copy.isEmpty()) {
            unsubscribedSinceNanos = SUBSCRIBED;
        } else if (!wasEmpty) {
            unsubscribedSinceNanos = System.nanoTime();
        }
    }

    /** System.nanoTime() since which this client has been subscribed to nothing, or {@link #SUBSCRIBED}. */
    long unsubscribedSinceNanos() {
        return unsubscribedSinceNanos;
    }

    void addressSlot(String address) {
        this.addressSlot = address;
    }

    /** The address whose slot this connection holds, or null; taken at most once, so a slot is released once. */
    String takeAddressSlot() {
        synchronized (this) {
            String address = addressSlot;
            addressSlot = null;
            return address;
        }
    }

    void seen(long nowNanos) {
        lastSeenNanos = nowNanos;
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    /** Whether live events are held back from this client (it plays back); see {@link #liveSuspendedAfter}. */
    boolean liveSuspended() {
        return liveSuspendedAfter != LIVE;
    }

    long liveSuspendedAfter() {
        return liveSuspendedAfter;
    }

    /** On the fan-out's ordered path only: {@code seq} is the last event delivered live, or {@link #LIVE} to go on. */
    void liveSuspendedAfter(long seq) {
        this.liveSuspendedAfter = seq;
    }

    PlaybackSession playback() {
        return playback;
    }

    void playback(PlaybackSession playback) {
        this.playback = playback;
    }

    /** Records why the server closes this client; only the first reason counts. Returns false if one was set before. */
    boolean markClosing(CloseReason reason) {
        return closeReason.compareAndSet(null, reason);
    }

    CloseReason closeReason() {
        return closeReason.get();
    }
}
