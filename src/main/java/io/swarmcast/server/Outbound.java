package io.swarmcast.server;

import io.swarmcast.event.Channel;

/**
 * One thing waiting in a client's send queue.
 *
 * @param frame   the frame, ready for the wire (shared by every client a live event or snapshot goes to)
 * @param kind    which of the client's bounds it counts against
 * @param seq     a live event's seq (0 for an ephemeral event and for everything not a live event)
 * @param channel a live event's channel, else null
 * @param key     what a live event is the latest state of, or null ({@link ConflationKey}); only a conflating
 *                client behind its threshold looks at it
 */
record Outbound(WireFrame frame, Kind kind, long seq, Channel channel, ConflationKey key) {

    Outbound(WireFrame frame, Kind kind) {
        this(frame, kind, 0, null, null);
    }

    /**
     * What a frame is, for the send bounds (docs/architecture.md, "Backpressure and slow consumers").
     */
    enum Kind {
        /** A live event: counts against {@code limits.send-buffer-limit}. */
        LIVE,
        /**
         * An answer to the client's own request or connection: welcome, pong, errors, subscribed, a snapshot,
         * a resume's catch-up, a replay answer. Counts against {@code limits.reply-buffer-limit}.
         */
        ANSWER,
        /** The server's heartbeat ping: two bytes once per interval, counted nowhere. */
        HEARTBEAT
    }

    static final Outbound PING = new Outbound(WireFrame.PING, Kind.HEARTBEAT);

    static Outbound live(WireFrame frame) {
        return new Outbound(frame, Kind.LIVE);
    }

    /** A live event's frame with what conflation needs to know of it, worked out once for all its clients. */
    static Outbound live(WireFrame frame, long seq, Channel channel, ConflationKey key) {
        return new Outbound(frame, Kind.LIVE, seq, channel, key);
    }

    static Outbound live(String text) {
        return live(WireFrame.text(text));
    }

    static Outbound reply(String text) {
        return reply(WireFrame.text(text));
    }

    static Outbound reply(WireFrame frame) {
        return new Outbound(frame, Kind.ANSWER);
    }

    boolean isPing() {
        return frame.isPing();
    }

    /** The frame's size for the send bounds: its exact size on the wire. */
    long weight() {
        return frame.length();
    }
}
