package io.swarmcast.bench;

import org.HdrHistogram.Recorder;

import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * One subscribed dashboard as the load generator plays it: it reads the send time (payload {@code "t"}, epoch
 * microseconds) out of each event frame by string search and records the end-to-end latency; optionally it
 * also tracks every {@code seq} it gets (resume). Survives reconnects: the connection changes, the client does not.
 */
final class BenchClient implements Ws.Handler {

    static final Frame.Pattern T = new Frame.Pattern("\"t\":");
    static final Frame.Pattern SEQ = new Frame.Pattern("\"seq\":");
    static final Frame.Pattern EPOCH = new Frame.Pattern("\"epoch\":\"");
    static final Frame.Pattern WELCOME = new Frame.Pattern("{\"type\":\"welcome\"");
    static final Frame.Pattern SUBSCRIBED = new Frame.Pattern("{\"type\":\"subscribed\"");
    static final Frame.Pattern ERROR = new Frame.Pattern("{\"type\":\"error\"");
    static final Frame.Pattern RECOVERED_TRUE = new Frame.Pattern("\"recovered\":true");
    static final Frame.Pattern RECOVERED_FALSE = new Frame.Pattern("\"recovered\":false");

    /** What all clients of a run share. */
    static final class Shared {
        final Recorder latency = new Recorder(3);
        final LongAdder frames = new LongAdder();
        final LongAdder closed = new LongAdder();
        volatile long lastFrameNanos;
        volatile String lastClose;
        volatile String lastError;
    }

    private final Shared shared;
    private final String subscribeRequest;
    private final boolean trackSeqs;

    private volatile Ws.Conn current;
    volatile CompletableFuture<BenchClient> ready = new CompletableFuture<>();
    volatile long count;
    volatile String epoch;
    volatile long welcomeSeq = -1;
    volatile Boolean recovered;
    volatile String errorFrame;
    volatile int closeCode;

    // Seq tracking (resume): written by the connection's callback thread only.
    private final BitSet seen = new BitSet();
    private long base = -1;
    volatile long lastSeq;
    long duplicates;
    long outOfOrder;
    /** Resume: the seq that means caught up, and when it was reached. */
    volatile long catchUpTarget = Long.MAX_VALUE;
    volatile CompletableFuture<Long> caughtUpMicros = new CompletableFuture<>();

    /**
     * @param subscribeRequest the frame to send once welcomed, or null to count the client ready on open
     *                         (servers that send everything without a subscription)
     */
    BenchClient(Shared shared, String subscribeRequest, boolean trackSeqs) {
        this.shared = shared;
        this.subscribeRequest = subscribeRequest;
        this.trackSeqs = trackSeqs;
    }

    static String subscribe(String channels) {
        StringBuilder json = new StringBuilder("{\"type\":\"subscribe\",$SINCE\"snapshot\":false,\"channels\":[");
        String[] names = channels.split(",");
        for (int i = 0; i < names.length; i++) {
            json.append(i > 0 ? "," : "").append('"').append(names[i].trim()).append('"');
        }
        return json.append("]}").toString();
    }

    /** A new connection takes over; the previous one's callbacks are ignored from now on. */
    void attach(Ws.Conn conn) {
        current = conn;
    }

    Ws.Conn conn() {
        return current;
    }

    /** Makes the client wait for a fresh welcome and subscribed (before a reconnect). */
    void rearm() {
        ready = new CompletableFuture<>();
        recovered = null;
        welcomeSeq = -1;
        catchUpTarget = Long.MAX_VALUE;
        caughtUpMicros = new CompletableFuture<>();
    }

    @Override
    public void onOpen(Ws.Conn conn) {
        current = conn;
        if (subscribeRequest == null) {
            ready.complete(this);
        }
    }

    @Override
    public void onText(Ws.Conn conn, Frame frame, long receivedMicros) {
        if (conn != current) {
            return;
        }
        long t = frame.longAfter(T);
        if (t != Frame.MISSING) {
            shared.latency.recordValue(Math.max(0, receivedMicros - t));
            shared.frames.increment();
            shared.lastFrameNanos = System.nanoTime();
            count++;
            if (trackSeqs) {
                track(frame.longAfter(SEQ), receivedMicros);
            }
        } else if (frame.startsWith(WELCOME)) {
            epoch = frame.stringAfter(EPOCH);
            welcomeSeq = frame.longAfter(SEQ);
            if (resumeEpoch != null) {
                // Caught up once the newest event the log held at reconnect time has arrived.
                catchUpTarget = Math.max(welcomeSeq, lastSeq + 1);
            }
            if (subscribeRequest != null) {
                conn.sendText(subscribeRequest.replace("$SINCE", sinceFields()));
            }
        } else if (frame.startsWith(SUBSCRIBED)) {
            recovered = frame.contains(RECOVERED_TRUE) ? Boolean.TRUE : frame.contains(RECOVERED_FALSE) ? Boolean.FALSE : null;
            ready.complete(this);
        } else if (frame.startsWith(ERROR)) {
            errorFrame = frame.toString();
            shared.lastError = errorFrame;
        }
    }

    /** {@code "sinceSeq":n,"epoch":"e",} after a drop; empty on the first subscription. */
    private String sinceFields() {
        return resumeEpoch == null || !useSince ? "" : "\"sinceSeq\":" + lastSeq + ",\"epoch\":\"" + resumeEpoch + "\",";
    }

    /** Set before a reconnect: the epoch to resume in (from the first welcome). */
    volatile String resumeEpoch;
    /** False only to check the checker: reconnect without sinceSeq, which must show up as lost events. */
    volatile boolean useSince = true;

    private void track(long seq, long receivedMicros) {
        if (seq == Frame.MISSING || seq <= 0) {
            return;
        }
        if (base < 0) {
            base = seq;
        }
        if (seq < base) {
            outOfOrder++;
            return;
        }
        int index = (int) (seq - base);
        if (seen.get(index)) {
            duplicates++;
        } else {
            seen.set(index);
        }
        if (seq <= lastSeq) {
            outOfOrder++;
        } else {
            lastSeq = seq;
        }
        if (seq >= catchUpTarget && !caughtUpMicros.isDone()) {
            caughtUpMicros.complete(receivedMicros);
        }
    }

    /** First seq seen, or -1. Read after the run. */
    long firstSeq() {
        return base;
    }

    /** Of the seqs in {@code accepted} from the first seq this client saw up to {@code upTo}, how many it never got. */
    long missing(BitSet accepted, long acceptedBase, long upTo) {
        if (base < 0) {
            return -1;
        }
        long missing = 0;
        for (long seq = base; seq <= upTo; seq++) {
            long a = seq - acceptedBase;
            if (a >= 0 && a < Integer.MAX_VALUE && accepted.get((int) a) && !seen.get((int) (seq - base))) {
                missing++;
            }
        }
        return missing;
    }

    @Override
    public void onClose(Ws.Conn conn, int code, String reason) {
        if (conn != current) {
            return;
        }
        closeCode = code;
        shared.closed.increment();
        shared.lastClose = code + " " + reason;
        ready.completeExceptionally(new IllegalStateException("closed by the server: " + code + " " + reason));
    }

    @Override
    public void onError(Ws.Conn conn, Throwable error) {
        if (conn == current) {
            shared.lastError = String.valueOf(error);
        }
    }
}
