package io.swarmcast.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain {@link Socket}, with the HTTP upgrade done by hand and the frames parsed from
 * the raw stream. Unlike a real client library it goes on reading after it sent its own close frame and
 * after the server's, so a test can see every byte the server wrote until the connection ends: what a
 * library would hide, for instance a data frame written after the server's close frame.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int OPCODE_TEXT = 0x1;
    public static final int OPCODE_CLOSE = 0x8;
    public static final int OPCODE_PING = 0x9;
    public static final int OPCODE_PONG = 0xA;

    /** The connection ended (end of stream or reset) inside a frame whose header had arrived. */
    public static final class TruncatedFrameException extends IOException {

        private final int opcode;

        TruncatedFrameException(int opcode, IOException cause) {
            super("the connection ended inside a frame (opcode " + opcode + ")", cause);
            this.opcode = opcode;
        }

        public int opcode() {
            return opcode;
        }
    }

    /** One frame as it came off the wire: its opcode and payload. */
    public record Frame(int opcode, byte[] payload) {

        public boolean isClose() {
            return opcode == OPCODE_CLOSE;
        }

        public boolean isData() {
            return opcode < 0x8;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A close frame's status code, or -1 when it carries none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }

        @Override
        public String toString() {
            return "Frame[opcode " + opcode + ", " + (opcode == OPCODE_TEXT ? text() : payload.length + " bytes") + "]";
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private int messageOpcode = -1;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code /ws} and completes the upgrade; fails unless the server answers 101. */
    public static RawWebSocket connect(int port) throws IOException {
        return connect(port, 0, 10_000);
    }

    /**
     * A client that must not read: with a small receive buffer (set before connecting, so the window is small from
     * the start) the server's send queue for it backs up at once. Nothing is read behind the test's back, and it
     * costs one socket and no thread, so a test can hold a thousand of them.
     */
    public static RawWebSocket connectNonReading(int port, int receiveBuffer) throws IOException {
        return connect(port, receiveBuffer, 30_000);
    }

    private static RawWebSocket connect(int port, int receiveBuffer, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(readTimeoutMillis);
        RawWebSocket client = new RawWebSocket(socket);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET /ws HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        client.out.write(request.getBytes(StandardCharsets.US_ASCII));
        client.out.flush();
        String head = client.readHttpHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + head);
        }
        return client;
    }

    /** Sends a masked text frame, as a client must. */
    public synchronized void sendText(String text) throws IOException {
        send(OPCODE_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a masked close frame with the status code. */
    public synchronized void sendClose(int code) throws IOException {
        send(OPCODE_CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    /**
     * The next message or control frame; null when the server closed the connection (end of stream or reset).
     * A fragmented message (the standard WebSocket API sends large texts in parts) is put together and
     * returned whole; a control frame between its parts is returned as it comes.
     */
    public Frame read() throws IOException {
        while (true) {
            int first;
            try {
                first = in.read();
            } catch (SocketException reset) {
                return null;
            }
            if (first < 0) {
                return null;
            }
            int opcode = first & 0x0F;
            byte[] payload = readPayload(opcode);
            boolean fin = (first & 0x80) != 0;
            if (opcode >= 0x8) {
                return new Frame(opcode, payload);
            }
            if (opcode != 0) {
                messageOpcode = opcode;
                message.reset();
            } else if (messageOpcode < 0) {
                throw new IOException("a continuation frame without a message");
            }
            message.write(payload);
            if (fin) {
                Frame whole = new Frame(messageOpcode, message.toByteArray());
                messageOpcode = -1;
                return whole;
            }
        }
    }

    private byte[] readPayload(int opcode) throws IOException {
        try {
            int second = in.readUnsignedByte();
            if ((second & 0x80) != 0) {
                throw new IOException("a server frame must not be masked");
            }
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            return payload;
        } catch (EOFException | SocketException cut) {
            throw new TruncatedFrameException(opcode, cut);
        }
    }

    /**
     * Reads on, skipping every other frame, until the server's close frame: its code. -1 when the connection ends
     * (or stays silent past the read timeout) without one: the server gave up writing to it and dropped the socket.
     */
    public int readUntilClose() {
        try {
            for (Frame frame = read(); frame != null; frame = read()) {
                if (frame.isClose()) {
                    return frame.closeCode();
                }
            }
        } catch (IOException endedOrSilent) {
            // no close frame came
        }
        return -1;
    }

    public void setReadTimeoutMillis(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test's socket: nothing to do
        }
    }

    private void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 8);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            throw new IllegalArgumentException("frames over 64 KiB are not needed here");
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    private String readHttpHead() throws IOException {
        InputStream raw = in;
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = raw.read();
            if (b < 0) {
                throw new EOFException("the server closed during the upgrade: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
