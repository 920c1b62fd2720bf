package io.swarmcast.log;

import io.swarmcast.event.Channel;
import io.swarmcast.event.DashboardEvent;

import java.util.List;
import java.util.Set;

/**
 * The single path of every durable event: appending assigns the sequence number, and the log's tail
 * feeds live delivery, so live delivery, replay and recovery read the same record and cannot disagree.
 */
public interface EventLog {

    /**
     * Appends events as one contiguous run of sequence numbers and hands them to the tail listener.
     *
     * @return the stored events, in the order given, each with its seq
     */
    List<StoredEvent> append(List<? extends DashboardEvent> events);

    /**
     * Appends like {@link #append}, for a caller that holds the domain lock and need not wait there for the log's
     * answer: the events' place in the log is fixed when this returns (whatever is appended after gets later seqs),
     * and {@code then} learns their seqs, or why they are not in the log, when the log answers, possibly on another
     * thread and after the lock is released. Throws at once, and calls nothing, when the log knows it cannot take
     * them. A shared log keeps its round trip out of the lock this way; the in-memory log answers before returning.
     */
    default void appendThen(List<? extends DashboardEvent> events, Appended then) {
        then.stored(append(events));
    }

    /** Names this log's lifetime; it changes whenever seqs could restart or history was lost. */
    String epoch();

    /** The newest seq held, or 0 when nothing was ever appended. */
    long newestSeq();

    /** The oldest seq still held, or newestSeq() + 1 when nothing is held. */
    long oldestSeq();

    /** How many events the history holds now. */
    int size();

    /** Events of the given channels with {@code afterSeq < seq <= upToSeq}, oldest first, at most {@code limit}. */
    History readAfter(long afterSeq, long upToSeq, Set<Channel> channels, int limit);

    /** Events of the given channels with {@code timestamp >= since}, oldest first, at most {@code limit}. */
    History readSince(long since, Set<Channel> channels, int limit);

    /**
     * Registers the one listener that receives every appended event in seq order, never concurrently.
     * It may be called while the log holds its own lock, so it must only hand the event on, never block.
     * A shared log calls it for every instance's events, this one's included, from its own reading thread.
     */
    void tail(TailListener listener);

    /**
     * Whether the log can take appends now. False while a shared log cannot reach its store: appends then throw
     * {@link EventLogUnavailableException}, and readiness reports the instance down.
     */
    default boolean available() {
        return true;
    }

    /** Why the log is unavailable, for the health details; null when it is available. */
    default String unavailableReason() {
        return null;
    }

    /** What becomes of an {@link #appendThen}: exactly one of the two is called. */
    interface Appended {
        /** The events are in the log, in the order given, each with its seq. */
        void stored(List<StoredEvent> stored);

        /** None of the events is in the log as far as this instance can tell (an {@link EventLogUnavailableException}). */
        void failed(RuntimeException cause);
    }

    @FunctionalInterface
    interface TailListener {
        void appended(StoredEvent event);

        /**
         * The events that follow do not continue the ones before: the log lost its history and started a new
         * epoch (its seqs restart), or events were dropped before this instance could read them. Called in
         * order with {@link #appended}, before the first event after the break. Only a shared log calls it.
         *
         * @param epoch   the log's epoch from here on
         * @param fromSeq the seq of the next event the tail will hand on
         */
        default void historyBroken(String epoch, long fromSeq) {
        }
    }
}
