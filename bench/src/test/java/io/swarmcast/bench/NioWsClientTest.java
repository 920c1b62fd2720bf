package io.swarmcast.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator's own WebSocket client against a scripted server on a local socket: frames of every
 * length encoding, a fragmented message, frames split across reads, ping/pong and the close code, since
 * every number the benchmark reports depends on this parser.
 */
class NioWsClientTest {

    @Test
    void decodesFramesAnswersPingsAndReportsTheCloseCode() throws Exception {
        String big = "x".repeat(70_000);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             NioWsClient client = new NioWsClient(1)) {
            List<String> texts = new CopyOnWriteArrayList<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            CompletableFuture<byte[]> clientFrame = new CompletableFuture<>();
            CompletableFuture<byte[]> pong = new CompletableFuture<>();

            Thread script = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    String request = readHead(in);
                    assertTrue(request.startsWith("GET /ws HTTP/1.1"), request);
                    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    clientFrame.complete(readClientFrame(in, 0x1));
                    ByteArrayOutputStream frames = new ByteArrayOutputStream();
                    frames.write(frame(0x81, "{\"t\":1}".getBytes(StandardCharsets.UTF_8)));
                    frames.write(frame(0x81, ("{\"t\":2,\"pad\":\"" + "y".repeat(300) + "\"}").getBytes(StandardCharsets.UTF_8)));
                    frames.write(frame(0x81, big.getBytes(StandardCharsets.UTF_8)));
                    frames.write(frame(0x01, "{\"t\":".getBytes(StandardCharsets.UTF_8)));
                    frames.write(frame(0x89, new byte[]{7, 8}));
                    frames.write(frame(0x80, "3}".getBytes(StandardCharsets.UTF_8)));
                    byte[] all = frames.toByteArray();
                    // Dribble the bytes so frames and headers are split across reads.
                    for (int i = 0; i < all.length; i += 997) {
                        out.write(all, i, Math.min(997, all.length - i));
                        out.flush();
                        Thread.sleep(1);
                    }
                    pong.complete(readClientFrame(in, 0xA));
                    out.write(frame(0x88, new byte[]{0x03, (byte) 0xF5, 's', 'l', 'o', 'w'}));
                    out.flush();
                    readClientFrame(in, 0x8);
                } catch (Exception | AssertionError e) {
                    clientFrame.completeExceptionally(e);
                    pong.completeExceptionally(e);
                }
            });
            script.start();

            Ws.Conn conn = client.connect(URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws"), new Ws.Handler() {
                @Override
                public void onOpen(Ws.Conn c) {
                    c.sendText("{\"type\":\"subscribe\"}");
                }

                @Override
                public void onText(Ws.Conn c, Frame frame, long receivedMicros) {
                    texts.add(frame.toString());
                }

                @Override
                public void onClose(Ws.Conn c, int code, String reason) {
                    closed.complete(code);
                }

                @Override
                public void onError(Ws.Conn c, Throwable error) {
                    closed.completeExceptionally(error);
                }
            }).get(10, TimeUnit.SECONDS);

            assertEquals("{\"type\":\"subscribe\"}", new String(clientFrame.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            assertArrayEquals(new byte[]{7, 8}, pong.get(10, TimeUnit.SECONDS));
            assertEquals(1013, closed.get(10, TimeUnit.SECONDS));
            assertEquals(4, texts.size(), "messages: " + texts.size());
            assertEquals("{\"t\":1}", texts.get(0));
            assertTrue(texts.get(1).startsWith("{\"t\":2,"));
            assertEquals(big, texts.get(2));
            assertEquals("{\"t\":3}", texts.get(3));
            script.join(10_000);
            conn.close();
        }
    }

    /** A server frame (unmasked) with the given first byte. */
    private static byte[] frame(int first, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        int n = payload.length;
        if (n < 126) {
            out.write(n);
        } else if (n < 65536) {
            out.write(126);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) n >> shift));
            }
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** Reads one client frame, which must be masked and of the expected opcode, and returns its payload. */
    private static byte[] readClientFrame(InputStream raw, int opcode) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        assertEquals(opcode, b0 & 0x0F);
        assertTrue((b1 & 0x80) != 0, "client frames are masked");
        int len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        }
        byte[] mask = in.readNBytes(4);
        byte[] payload = in.readNBytes(len);
        for (int i = 0; i < len; i++) {
            payload[i] ^= mask[i & 3];
        }
        return payload;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            byte[] b = head.toByteArray();
            int n = b.length;
            if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
