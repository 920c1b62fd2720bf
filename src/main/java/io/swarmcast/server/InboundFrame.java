package io.swarmcast.server;

/**
 * Puts together one client frame that the container hands over in parts, and measures it against the
 * inbound frame limit in UTF-8 bytes as it grows. The container's own per-connection message buffers are
 * kept small (their size is memory held by every idle connection); frames up to the protocol's limit still
 * arrive whole here. Used from the container's thread for that connection only, one part at a time.
 */
final class InboundFrame {

    private final long limitBytes;
    private StringBuilder text;
    private long bytes;

    InboundFrame(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /**
     * Adds a part of a text frame.
     *
     * @return false when the frame has grown past the limit (the rest is not kept)
     */
    boolean addText(String part, boolean last) {
        bytes += Connections.utf8Length(part);
        if (bytes > limitBytes) {
            reset();
            return false;
        }
        if (!last || text != null) {
            if (text == null) {
                text = new StringBuilder(part.length() * 2);
            }
            text.append(part);
        }
        return true;
    }

    /** The whole text frame once its last part was added; {@code lastPart} is that part. */
    String takeText(String lastPart) {
        String whole = text == null ? lastPart : text.toString();
        reset();
        return whole;
    }

    /** Adds the size of a part of a binary frame; false when the frame has grown past the limit. */
    boolean addBinary(int partBytes, boolean last) {
        bytes += partBytes;
        boolean within = bytes <= limitBytes;
        if (last || !within) {
            reset();
        }
        return within;
    }

    private void reset() {
        text = null;
        bytes = 0;
    }
}
