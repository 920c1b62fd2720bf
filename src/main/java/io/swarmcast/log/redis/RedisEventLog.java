package io.swarmcast.log.redis;

import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;
import io.swarmcast.log.EventJson;
import io.swarmcast.log.EventLog;
import io.swarmcast.log.EventLogUnavailableException;
import io.swarmcast.log.History;
import io.swarmcast.log.StoredEvent;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The event log shared by every instance on one Redis: a stream whose entry ids are the seqs, and a meta hash
 * holding the epoch and the newest seq (docs/architecture.md, "The shared event log on Redis").
 *
 * <p>An append runs one script per batch, which hands out the seqs and adds the entries atomically, so the
 * stream's order is the seq order across instances. {@link #appendThen} sends it and returns, its answer (what a 202
 * acknowledges, or {@link EventLogUnavailableException} when Redis cannot take the events) coming later outside the
 * domain lock; {@link #append} waits for it. Unlike the in-memory
 * log it does not call the tail itself: the {@link RedisLogTail} reads every instance's events, this one's included,
 * and hands them on in seq order. Reads (resume, replay) read the stream.
 */
@Slf4j
public final class RedisEventLog implements EventLog, SmartLifecycle, AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UNAVAILABLE = "the event log is unavailable; nothing of the request was taken";
    /** Entries fetched per round trip when reading history. */
    static final int READ_PAGE = 1000;

    private final StringRedisTemplate redis;
    private final RedisLogKeys keys;
    private final int historySize;
    private final EventJson json = new EventJson();
    /** The append script's text: sent whole each time (see {@link AppendConnection#eval}). */
    private final String appendScript;
    private final RedisScript<String> openScript;
    private final RedisLogTail tail;
    private final OwnAppends ownAppends = new OwnAppends();
    /** Unique to this process: the tail knows its own entries by it (field {@code o}, with the append's number). */
    private final String origin = newEpoch();
    private final AtomicLong appendNumbers = new AtomicLong();
    private final Supplier<AppendConnection> appendConnections;
    private final Duration appendTimeout;
    private AppendConnection appendConnection;
    private volatile String unreachable;
    private TailListener listener = event -> { };
    private boolean running;

    RedisEventLog(StringRedisTemplate redis, Supplier<AppendConnection> appendConnections, Duration appendTimeout,
                  Supplier<TailConnection> tailConnections, RedisLogKeys keys, int historySize, Duration tailBlock,
                  Duration maxBackoff) {
        this.redis = redis;
        this.appendConnections = appendConnections;
        this.appendTimeout = appendTimeout;
        this.keys = keys;
        this.historySize = historySize;
        this.appendScript = LuaScripts.load("append.lua").getScriptAsString();
        this.openScript = LuaScripts.load("open.lua");
        this.tail = new RedisLogTail(tailConnections, keys, openScript.getScriptAsString(), RedisEventLog::newEpoch,
                json, ownAppends, origin, appendTimeout, tailBlock, maxBackoff, new RedisLogTail.Reachability() {
                    @Override
                    public void reached() {
                        unreachable = null;
                    }

                    @Override
                    public void failed(RuntimeException e) {
                        unreachable = describe(e);
                    }
                });
        try {
            tail.startAfter(LogPosition.parse(redis.execute(openScript, keys(), newEpoch())));
        } catch (RuntimeException e) {
            // The instance starts anyway (liveness up, readiness down); the tail goes live once Redis answers.
            unreachable = describe(e);
            log.warn("event log unreachable at start: {}", unreachable);
        }
    }

    static String newEpoch() {
        return Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    }

    /**
     * Appends and waits for the answer (commands, under the domain lock). Through the same connection as
     * {@link #appendThen}, so the two kinds keep the order they were made in.
     */
    @Override
    public List<StoredEvent> append(List<? extends DashboardEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        CompletableFuture<List<StoredEvent>> answer = new CompletableFuture<>();
        appendThen(events, new Appended() {
            @Override
            public void stored(List<StoredEvent> stored) {
                answer.complete(stored);
            }

            @Override
            public void failed(RuntimeException cause) {
                answer.completeExceptionally(cause);
            }
        });
        try {
            return answer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Sends the append script and returns: Redis runs one connection's commands in order, so the seqs follow the
     * order of the calls (made under the domain lock), while the answer is awaited outside the lock. {@code then}
     * runs on Lettuce's thread, or the timeout's, once the events are in the stream (what a 202 acknowledges) or
     * could not be put there; before the tail hands on any of them ({@link OwnAppends}).
     */
    @Override
    public void appendThen(List<? extends DashboardEvent> events, Appended then) {
        if (events.isEmpty()) {
            then.stored(List.of());
            return;
        }
        if (unreachable != null) {
            // Known down (the tail has not reached Redis since the last failure): refuse at once. Trying would make
            // each request wait out the command timeout in turn while Redis is paused.
            throw new EventLogUnavailableException(UNAVAILABLE, null);
        }
        long number = appendNumbers.incrementAndGet();
        String[] args = new String[4 + events.size() * 4];
        args[0] = newEpoch();
        args[1] = Integer.toString(historySize);
        args[2] = keys.appended();
        args[3] = origin + ':' + number;
        int at = 4;
        for (DashboardEvent event : events) {
            if (!event.durable()) {
                throw new IllegalArgumentException(event.type() + " is ephemeral and never enters the log");
            }
            args[at++] = json.kind(event);
            args[at++] = event.channel().wireName();
            args[at++] = Long.toString(event.timestamp());
            args[at++] = json.write(event);
        }
        List<DashboardEvent> appended = List.copyOf(events);
        ownAppends.sending(number);
        CompletableFuture<String> answer;
        try {
            answer = appendConnection().eval(appendScript, new String[] {keys.meta(), keys.stream()}, args)
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            ownAppends.settled(number);
            unreachable = describe(e);
            throw new EventLogUnavailableException(UNAVAILABLE, e);
        }
        answer.orTimeout(appendTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((text, error) -> {
            try {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    unreachable = describe(cause);
                    // The cause (an address, a timeout) goes to the health details, not to producers.
                    then.failed(new EventLogUnavailableException(UNAVAILABLE, cause));
                    return;
                }
                unreachable = null;
                LogPosition position = LogPosition.parse(text);
                long first = position.newestSeq();
                List<StoredEvent> stored = new ArrayList<>(appended.size());
                for (int i = 0; i < appended.size(); i++) {
                    stored.add(new StoredEvent(first + i, appended.get(i)));
                }
                ownAppends.appended(position.epoch(), stored, tail.deliveredSeq());
                then.stored(stored);
            } finally {
                ownAppends.settled(number);
            }
        });
    }

    /** The appends' connection, opened at the first append (and again after a close). */
    private synchronized AppendConnection appendConnection() {
        if (appendConnection == null) {
            appendConnection = appendConnections.get();
        }
        return appendConnection;
    }

    /** The epoch whose events this instance delivers (empty until Redis was first reached). */
    @Override
    public String epoch() {
        String epoch = tail.epoch();
        return epoch != null ? epoch : "";
    }

    /**
     * The newest seq the tail handed on; before the tail starts, the seq it will go on after (the newest when this
     * instance started). The state fold reads the log up to here at startup (io.swarmcast.replica).
     */
    public long tailSeq() {
        return tail.deliveredSeq();
    }

    /** The newest seq in Redis; when Redis does not answer, the newest this instance delivered. */
    @Override
    public long newestSeq() {
        try {
            Object seq = redis.opsForHash().get(keys.meta(), "seq");
            return seq == null ? 0 : Long.parseLong(seq.toString());
        } catch (RuntimeException e) {
            return tail.deliveredSeq();
        }
    }

    @Override
    public long oldestSeq() {
        try {
            MapRecord<String, Object, Object> oldest = oldestEntry();
            return oldest != null ? seq(oldest) : newestSeq() + 1;
        } catch (RuntimeException e) {
            return tail.deliveredSeq() + 1;
        }
    }

    @Override
    public int size() {
        try {
            Long length = redis.opsForStream().size(keys.stream());
            return length == null ? 0 : length.intValue();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * Reads the stream by seq. Entries of another epoch than the one this instance delivers (the log restarted and
     * the tail has not caught up yet) end the read as not reaching back: never a partial history presented as whole.
     * When Redis does not answer, the read is empty and does not reach back (the client gets {@code history_gap}).
     */
    @Override
    public History readAfter(long afterSeq, long upToSeq, Set<Channel> channels, int limit) {
        try {
            String epoch = epoch();
            MapRecord<String, Object, Object> oldest = oldestEntry();
            boolean reachesBack = oldest == null || (afterSeq >= seq(oldest) - 1 && epoch.equals(field(oldest, "ep")));
            return scan(epoch, afterSeq + 1, upToSeq, reachesBack, entry -> selected(entry, channels), limit);
        } catch (RuntimeException e) {
            log.warn("history read failed, answered as not reaching back: {}", describe(e));
            return new History(List.of(), false, false);
        }
    }

    /**
     * Reads the stream by time: a scan of everything held (at most about {@code history-size} entries), since the
     * producers' timestamps need not grow with the seq. Whether it reaches back is judged from the oldest event
     * held: nothing trimmed yet, or that event is older than {@code since} (exact when timestamps grow with the seq,
     * as the server's own do).
     */
    @Override
    public History readSince(long since, Set<Channel> channels, int limit) {
        try {
            String epoch = epoch();
            MapRecord<String, Object, Object> oldest = oldestEntry();
            if (oldest == null) {
                return new History(List.of(), true, false);
            }
            boolean reachesBack = epoch.equals(field(oldest, "ep"))
                    && (seq(oldest) == 1 || Long.parseLong(field(oldest, "t")) < since);
            return scan(epoch, seq(oldest), Long.MAX_VALUE, reachesBack,
                    entry -> Long.parseLong(field(entry, "t")) >= since && selected(entry, channels), limit);
        } catch (RuntimeException e) {
            log.warn("history read failed, answered as not reaching back: {}", describe(e));
            return new History(List.of(), false, false);
        }
    }

    /**
     * Reads the stream from seq {@code from} to {@code upToSeq} a page at a time, keeping the entries {@code wanted}
     * takes, at most {@code limit}. An entry of another epoch ends the read as not reaching back.
     */
    private History scan(String epoch, long from, long upToSeq, boolean reachesBack,
                         Predicate<MapRecord<String, Object, Object>> wanted, int limit) {
        List<StoredEvent> events = new ArrayList<>(Math.min(limit, 256));
        while (from <= upToSeq) {
            Range<String> range = upToSeq == Long.MAX_VALUE
                    ? Range.rightUnbounded(Range.Bound.inclusive(RedisLogKeys.id(from)))
                    : Range.closed(RedisLogKeys.id(from), RedisLogKeys.id(upToSeq));
            List<MapRecord<String, Object, Object>> page =
                    redis.opsForStream().range(keys.stream(), range, Limit.limit().count(READ_PAGE));
            if (page == null || page.isEmpty()) {
                break;
            }
            for (MapRecord<String, Object, Object> entry : page) {
                if (!epoch.equals(field(entry, "ep"))) {
                    return new History(events, false, false);
                }
                if (wanted.test(entry)) {
                    if (events.size() == limit) {
                        return new History(events, reachesBack, true);
                    }
                    events.add(stored(entry));
                }
            }
            from = seq(page.get(page.size() - 1)) + 1;
            if (page.size() < READ_PAGE) {
                break;
            }
        }
        return new History(events, reachesBack, false);
    }

    /** Registers the listener; the tail reads for it while the log runs (from its lifecycle start to its stop). */
    @Override
    public synchronized void tail(TailListener listener) {
        this.listener = listener;
        if (running) {
            tail.start(listener);
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        tail.start(listener);
    }

    @Override
    public synchronized void stop() {
        running = false;
        tail.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Starts before the web server and stops after it (and after the event server, which closes the clients), so
     * requests still in flight during a graceful shutdown can append; and before Spring Data's connection factory
     * (phase 0) closes the connections under it.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    @Override
    public boolean available() {
        return unreachable == null;
    }

    @Override
    public String unavailableReason() {
        return unreachable;
    }

    @Override
    public synchronized void close() {
        tail.stop();
        if (appendConnection != null) {
            appendConnection.close();
        }
    }

    private List<String> keys() {
        return List.of(keys.meta(), keys.stream());
    }

    private MapRecord<String, Object, Object> oldestEntry() {
        List<MapRecord<String, Object, Object>> first = redis.opsForStream().range(keys.stream(), Range.unbounded(),
                Limit.limit().count(1));
        return first == null || first.isEmpty() ? null : first.get(0);
    }

    private StoredEvent stored(MapRecord<String, Object, Object> entry) {
        return new StoredEvent(seq(entry), json.read(field(entry, "k"), field(entry, "e")));
    }

    private static boolean selected(MapRecord<String, Object, Object> entry, Set<Channel> channels) {
        return Channel.fromWire(field(entry, "c")).map(channels::contains).orElse(false);
    }

    private static long seq(MapRecord<String, Object, Object> entry) {
        return RedisLogKeys.seq(entry.getId().getValue());
    }

    private static String field(MapRecord<String, Object, Object> entry, String name) {
        Map<Object, Object> body = entry.getValue();
        Object value = body.get(name);
        return value == null ? null : value.toString();
    }

    /** One line for logs, health details and 503 answers: the root cause's message, no stack trace. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message != null ? message : root.getClass().getSimpleName();
    }
}
