package io.swarmcast.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Clients that complete the WebSocket handshake, subscribe, and never read again (a hung browser tab, or an
 * attacker): raw sockets with a 4 KiB receive buffer, so the server's send path backs up at once. For the
 * fanout scenario's {@code --non-readers N}: how much do they cost the clients that do read?
 */
final class NonReaders implements AutoCloseable {

    private final List<Socket> sockets = new ArrayList<>();

    static NonReaders open(URI ws, int count, String subscribeRequest) throws IOException {
        NonReaders nonReaders = new NonReaders();
        try {
            for (int i = 0; i < count; i++) {
                nonReaders.sockets.add(one(ws, subscribeRequest));
            }
        } catch (IOException | RuntimeException e) {
            nonReaders.close();
            throw e;
        }
        return nonReaders;
    }

    int size() {
        return sockets.size();
    }

    private static Socket one(URI ws, String subscribeRequest) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        int port = ws.getPort() > 0 ? ws.getPort() : 80;
        socket.connect(new InetSocketAddress(ws.getHost(), port), 10_000);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String path = ws.getRawPath() == null || ws.getRawPath().isEmpty() ? "/" : ws.getRawPath();
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + Auth.headerLine(Auth.viewer()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder response = new StringBuilder();
        while (response.length() < 4 || !response.substring(response.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed a non-reader during its handshake: " + response);
            }
            response.append((char) b);
        }
        if (!response.toString().startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("a non-reader's handshake was refused: " + response.toString().lines().findFirst().orElse(""));
        }
        if (subscribeRequest != null) {
            out.write(maskedText(subscribeRequest));
        }
        return socket;
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("subscribe request too long for a one-byte frame length");
        }
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // already reset by the server
            }
        }
        sockets.clear();
    }
}
