package io.swarmcast.server;

/**
 * One thing waiting in a client's send queue.
 *
 * @param frame   the frame, ready for the wire (shared by every client a live event goes to)
 * @param counted whether the frame counts against the slow-consumer bound: live events do; a snapshot,
 *                a resume's catch-up and answers to the client's own requests are bounded by other means
 */
record Outbound(WireFrame frame, boolean counted) {

    static final Outbound PING = new Outbound(WireFrame.PING, false);

    static Outbound live(WireFrame frame) {
        return new Outbound(frame, true);
    }

    static Outbound live(String text) {
        return live(WireFrame.text(text));
    }

    static Outbound reply(String text) {
        return reply(WireFrame.text(text));
    }

    static Outbound reply(WireFrame frame) {
        return new Outbound(frame, false);
    }

    boolean isPing() {
        return frame.isPing();
    }

    /** The frame's size for the slow-consumer bound: its exact size on the wire. */
    long weight() {
        return frame.length();
    }
}
