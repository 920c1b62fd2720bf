package io.swarmcast.server;

/**
 * One thing waiting in a client's send queue.
 *
 * @param text    the frame to send, or null for a WebSocket ping
 * @param counted whether the frame counts against the slow-consumer bound: live events do; a snapshot,
 *                a resume's catch-up and answers to the client's own requests are bounded by other means
 */
record Outbound(String text, boolean counted) {

    static final Outbound PING = new Outbound(null, false);

    static Outbound live(String text) {
        return new Outbound(text, true);
    }

    static Outbound reply(String text) {
        return new Outbound(text, false);
    }

    boolean isPing() {
        return text == null;
    }

    /**
     * The frame's size for the slow-consumer bound: its length in chars, which is its size on the wire for the
     * ASCII JSON of nearly every event (exact byte counts would cost an encoding pass per frame).
     */
    long weight() {
        return text == null ? 0 : text.length();
    }
}
