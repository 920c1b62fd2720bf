package io.swarmcast.server;

import io.swarmcast.event.FrameCodec;
import io.swarmcast.log.StoredEvent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A complete WebSocket frame exactly as it goes on the wire (RFC 6455 section 5.2): header and payload in
 * one array. A server's frames are never masked, so the bytes are the same for every client: an event's
 * frame is encoded and framed once and then written, unchanged, to every subscriber.
 *
 * <p>Public for the {@link FrameSocket}s: the direct one writes {@link #buffer()}, the standard one, which
 * can only hand the container text, sends {@link #text()}.
 */
public final class WireFrame {

    private static final int FIN = 0x80;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_PING = 0x9;

    /** An empty ping: the heartbeat. It goes through the client's queue like any frame, so never interleaves. */
    static final WireFrame PING = new WireFrame(new byte[] {(byte) (FIN | OPCODE_PING), 0});

    private final byte[] bytes;
    /** The payload as text, decoded on first use and then shared by every client of the frame. */
    private volatile String text;

    private WireFrame(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A final text frame holding {@code text}, UTF-8 encoded. */
    static WireFrame text(String text) {
        return text(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A final text frame holding text already UTF-8 encoded (copied: the array may be shared). */
    static WireFrame text(byte[] payload) {
        int headerLength = headerLength(payload.length);
        byte[] bytes = new byte[headerLength + payload.length];
        writeHeader(bytes, OPCODE_TEXT, payload.length);
        System.arraycopy(payload, 0, bytes, headerLength, payload.length);
        return new WireFrame(bytes);
    }

    /**
     * A stored event's frame, made once and kept with the event: live delivery and every resume's catch-up
     * share it, so a catch-up to hundreds of clients neither encodes nor copies.
     */
    static WireFrame of(StoredEvent stored, FrameCodec codec) {
        return stored.wireForm(codec, WireFrame::text);
    }

    /** A fresh view of the frame for one write: each client's write moves its own position. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes);
    }

    /** The frame's size on the wire, header included. */
    public int length() {
        return bytes.length;
    }

    /** True for the heartbeat ping; every other frame is a text frame. */
    public boolean isPing() {
        return this == PING;
    }

    /**
     * A text frame's payload, without the header: what the WebSocket API's {@code sendText} takes. Decoded
     * once per frame (racing threads may both decode it; the results are equal), so the clients of one live
     * event share one string.
     */
    public String text() {
        String decoded = text;
        if (decoded == null) {
            int headerLength = headerLength(bytes);
            decoded = new String(bytes, headerLength, bytes.length - headerLength, StandardCharsets.UTF_8);
            text = decoded;
        }
        return decoded;
    }

    private static int headerLength(byte[] frame) {
        int length = frame[1] & 0x7F;
        return length < 126 ? 2 : (length == 126 ? 4 : 10);
    }

    private static int headerLength(int payloadLength) {
        if (payloadLength < 126) {
            return 2;
        }
        return payloadLength <= 0xFFFF ? 4 : 10;
    }

    private static void writeHeader(byte[] frame, int opcode, int payloadLength) {
        frame[0] = (byte) (FIN | opcode);
        if (payloadLength < 126) {
            frame[1] = (byte) payloadLength;
        } else if (payloadLength <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (payloadLength >>> 8);
            frame[3] = (byte) payloadLength;
        } else {
            frame[1] = 127;
            // An int length: the four high bytes of the 64-bit length stay 0.
            frame[6] = (byte) (payloadLength >>> 24);
            frame[7] = (byte) (payloadLength >>> 16);
            frame[8] = (byte) (payloadLength >>> 8);
            frame[9] = (byte) payloadLength;
        }
    }
}
