package io.swarmcast.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
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

    /** One frame as it came off the wire: its opcode and payload. */
    public record Frame(int opcode, byte[] payload) {

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
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(10_000);
        RawWebSocket client = new RawWebSocket(socket);
        String request = "GET /ws HTTP/1.1\r\n"
                + "Host: localhost:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
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
            byte[] payload = readPayload();
            int opcode = first & 0x0F;
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

    private byte[] readPayload() throws IOException {
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
            throw new IOException("the connection ended inside a frame", cut);
        }
    }

    public void setReadTimeoutMillis(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void send(int opcode, byte[] payload) throws IOException {
        if (payload.length > 125) {
            throw new IllegalArgumentException("this client sends small frames only");
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(frame);
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
