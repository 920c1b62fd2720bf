package io.swarmcast.server;

import io.swarmcast.event.Channel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The live frames held back for one conflating client (a subscribe with {@code "conflate":true}) while it is
 * behind: docs/architecture.md, "Conflation". Its {@link OutboundQueue} queues live frames as usual until the
 * live bytes waiting pass the threshold; from then on it hands them here instead, and this keeps only the latest
 * frame of each agent, task, topology and metrics ({@link ConflationKey}), dropping frames that have no latest
 * (messages, memory operations, pass-through events). When the client has read everything queued before, the
 * queue takes the held frames back ({@link #release}): the kept frames in seq order, then one {@code conflated}
 * notice listing every seq the client will never get. So a slow dashboard sees the current state with fewer
 * intermediate frames instead of being cut off, and can still account for every seq.
 *
 * <p>Everything held is bounded by {@code conflation.held-limit}: the kept frames by their size on the wire, and
 * each skipped seq, kept for the notice, by {@link #SKIPPED_SEQ_COST} bytes. Only going past it closes the client
 * (1013), as the live bound does for a client that does not conflate.
 *
 * <p>Threads: live frames come from the delivery thread only ({@link #hold}); {@link #release} runs on whichever
 * thread writes the client's queue, or on the thread queuing an answer. Both take this object's monitor. Only the
 * delivery thread starts holding, and {@link #release} clears {@link #holding()} last, after the released frames
 * are queued, so a live frame queued straight away because nothing was held always comes after them.
 */
final class Conflation {

    /** What one skipped seq costs against the held limit: it is kept, as a long, until the notice is written. */
    static final int SKIPPED_SEQ_COST = Long.BYTES;

    private final long threshold;
    private final long heldLimit;
    private final Function<Notice, String> noticeWriter;
    private final IntConsumer onSkipped;

    /** The latest frame of each key, in the order they arrived: seq order, since a replaced key moves to the end. */
    private final LinkedHashMap<ConflationKey, Outbound> kept = new LinkedHashMap<>();
    private long keptBytes;
    private long[] skippedSeqs = new long[64];
    private int skippedSeqCount;
    /** Frames skipped per channel (ephemeral metrics included, which have no seq), by channel ordinal. */
    private final int[] skippedPerChannel = new int[Channel.values().length];
    private int skippedFrames;
    /** The first and the last seq held since the last release; 0 while none. */
    private long fromSeq;
    private long toSeq;
    private volatile boolean holding;
    private volatile long heldBytes;

    /**
     * @param threshold    live bytes waiting past which live frames are held ({@code conflation.threshold})
     * @param heldLimit    the most bytes held before the client is closed as a slow consumer
     *                     ({@code conflation.held-limit})
     * @param noticeWriter writes the {@code conflated} frame ({@link ControlFrames#conflated})
     * @param onSkipped    told, at each notice, how many frames it accounts for ({@code swarmcast.frames.conflated})
     */
    Conflation(long threshold, long heldLimit, Function<Notice, String> noticeWriter, IntConsumer onSkipped) {
        this.threshold = threshold;
        this.heldLimit = heldLimit;
        this.noticeWriter = noticeWriter;
        this.onSkipped = onSkipped;
    }

    /**
     * The {@code conflated} notice: of the seqs from {@code fromSeq} to {@code toSeq} that the client's channels
     * carried, those in {@code skippedRanges} will never reach it; every other one came before the notice.
     *
     * @param skippedRanges inclusive ranges, as pairs {@code [first0, last0, first1, last1, ...]}, ascending
     * @param skippedSeqs   how many seqs the ranges hold
     * @param skipped       frames skipped per channel, ephemeral metrics (which have no seq) included
     */
    record Notice(long fromSeq, long toSeq, long[] skippedRanges, long skippedSeqs, Map<Channel, Integer> skipped) {
    }

    /** What {@link #release} hands back to the queue. */
    record Released(List<Outbound> frames, long liveWeight, long heldBytes) {
    }

    /** True while frames are held: every live frame must then be held too, until the next release, to keep seq order. */
    boolean holding() {
        return holding;
    }

    /** Bytes held: kept frames and skipped seqs. */
    long heldBytes() {
        return heldBytes;
    }

    /**
     * Whether a live frame is to be held rather than queued: while frames are held, or when it would take the
     * live bytes waiting past the threshold (a frame alone is always queued, however large).
     */
    boolean shouldHold(long queuedLiveBytes, long weight) {
        return holding || (queuedLiveBytes > 0 && queuedLiveBytes + weight > threshold);
    }

    /** Whether what is held is over the limit; a lone frame larger than the limit is not. */
    boolean overLimit(long lastWeight) {
        return heldBytes > heldLimit && heldBytes > lastWeight;
    }

    /** Holds a live frame, replacing the one of the same key; returns the change in bytes held. */
    synchronized long hold(Outbound frame) {
        long before = heldBytes;
        if (frame.seq() > 0) {
            if (fromSeq == 0) {
                fromSeq = frame.seq();
            }
            toSeq = frame.seq();
        }
        if (frame.key() == null) {
            skip(frame);
        } else {
            Outbound previous = kept.remove(frame.key());
            if (previous != null) {
                keptBytes -= previous.weight();
                skip(previous);
            }
            kept.put(frame.key(), frame);
            keptBytes += frame.weight();
        }
        holding = true;
        heldBytes = keptBytes + (long) skippedSeqCount * SKIPPED_SEQ_COST;
        return heldBytes - before;
    }

    private void skip(Outbound frame) {
        skippedFrames++;
        if (frame.channel() != null) {
            skippedPerChannel[frame.channel().ordinal()]++;
        }
        if (frame.seq() > 0) {
            if (skippedSeqCount == skippedSeqs.length) {
                skippedSeqs = Arrays.copyOf(skippedSeqs, skippedSeqCount * 2);
            }
            skippedSeqs[skippedSeqCount++] = frame.seq();
        }
    }

    /**
     * Takes out everything held and hands it to {@code into}, under this object's monitor, before it stops
     * holding: the kept frames in seq order, then the {@code conflated} notice when anything was skipped.
     * Returns false when nothing was held.
     */
    synchronized boolean release(Consumer<Released> into) {
        if (!holding) {
            return false;
        }
        List<Outbound> frames = new ArrayList<>(kept.size() + 1);
        long liveWeight = keptBytes;
        frames.addAll(kept.values());
        if (skippedFrames > 0) {
            Outbound notice = Outbound.live(WireFrame.text(noticeWriter.apply(notice())));
            frames.add(notice);
            liveWeight += notice.weight();
            onSkipped.accept(skippedFrames);
        }
        Released released = new Released(frames, liveWeight, heldBytes);
        into.accept(released);
        reset();
        return true;
    }

    /** Drops everything held (the client is closing); returns the bytes that were held. */
    synchronized long discard() {
        long bytes = heldBytes;
        reset();
        return bytes;
    }

    private void reset() {
        kept.clear();
        keptBytes = 0;
        if (skippedSeqs.length > 1024) {
            skippedSeqs = new long[64];
        }
        skippedSeqCount = 0;
        Arrays.fill(skippedPerChannel, 0);
        skippedFrames = 0;
        fromSeq = 0;
        toSeq = 0;
        heldBytes = 0;
        // Last: a live frame that finds nothing held may be queued at once, behind what was just released.
        holding = false;
    }

    private Notice notice() {
        long[] seqs = Arrays.copyOf(skippedSeqs, skippedSeqCount);
        Arrays.sort(seqs);
        long[] ranges = new long[16];
        int length = 0;
        for (int i = 0; i < seqs.length; i++) {
            if (length > 0 && ranges[length - 1] + 1 == seqs[i]) {
                ranges[length - 1] = seqs[i];
                continue;
            }
            if (length == ranges.length) {
                ranges = Arrays.copyOf(ranges, length * 2);
            }
            ranges[length++] = seqs[i];
            ranges[length++] = seqs[i];
        }
        Map<Channel, Integer> skipped = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            if (skippedPerChannel[channel.ordinal()] > 0) {
                skipped.put(channel, skippedPerChannel[channel.ordinal()]);
            }
        }
        return new Notice(fromSeq, toSeq, Arrays.copyOf(ranges, length), seqs.length, skipped);
    }
}
