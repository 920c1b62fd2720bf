package io.swarmcast.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A minimal WebSocket client (RFC 6455, text frames, no extensions) on plain NIO: a few selector threads
 * serve every connection, one shared read buffer per thread, no per-frame allocation and no decoding of
 * the payload. It exists because the load generator must cost much less per frame than the server
 * (it reads 300,000 frames/s on the same two cores) and must hold 10,000 idle connections cheaply; the
 * JDK's {@code java.net.http.WebSocket} is kept as {@code --ws-client jdk} for comparison.
 */
final class NioWsClient implements Ws.Client {

    private static final int READ_BUFFER = 256 * 1024;

    private final Loop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    NioWsClient(int threads) {
        loops = new Loop[Math.max(1, threads)];
        for (int i = 0; i < loops.length; i++) {
            try {
                loops[i] = new Loop(i);
            } catch (IOException e) {
                throw new IllegalStateException("cannot open a selector", e);
            }
            loops[i].start();
        }
    }

    @Override
    public String describe() {
        return "nio x" + loops.length;
    }

    @Override
    public CompletableFuture<Ws.Conn> connect(URI uri, Ws.Handler handler) {
        Loop loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        Conn conn = new Conn(loop, uri, handler);
        loop.submit(conn::start);
        return conn.opened;
    }

    @Override
    public void close() {
        for (Loop loop : loops) {
            loop.shutdown();
        }
    }

    private static final class Loop extends Thread {
        private final Selector selector;
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final Frame.Bytes frame = new Frame.Bytes();
        private ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        private volatile boolean stopping;

        Loop(int index) throws IOException {
            super("bench-nio-" + index);
            setDaemon(true);
            selector = Selector.open();
        }

        void submit(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        /** Runs the task on this loop and waits for it, unless already on it. */
        void runAndWait(Runnable task) {
            if (Thread.currentThread() == this || stopping || !isAlive()) {
                task.run();
                return;
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            submit(() -> {
                try {
                    task.run();
                } finally {
                    done.complete(null);
                }
            });
            done.join();
        }

        void shutdown() {
            stopping = true;
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (!stopping) {
                    selector.select(100);
                    Runnable task;
                    while ((task = tasks.poll()) != null) {
                        task.run();
                    }
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        Conn conn = (Conn) key.attachment();
                        if (!key.isValid()) {
                            continue;
                        }
                        try {
                            if (key.isConnectable()) {
                                conn.finishConnect();
                            } else if (key.isReadable()) {
                                conn.read();
                            }
                        } catch (IOException | RuntimeException e) {
                            conn.failed(e);
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("selector failed", e);
            } finally {
                for (SelectionKey key : selector.keys()) {
                    try {
                        key.channel().close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private static final class Conn implements Ws.Conn {
        private final Loop loop;
        private final URI uri;
        private final Ws.Handler handler;
        final CompletableFuture<Ws.Conn> opened = new CompletableFuture<>();
        private SocketChannel channel;
        private SelectionKey key;
        private boolean open;
        private boolean closed;
        /** Bytes of an incomplete frame (or handshake) kept between reads; null when none. */
        private byte[] leftover;
        /** Size of the frame that did not fit, so the loop's buffer can grow to it. */
        private int needed;
        private ByteArrayOutputStream fragments;

        Conn(Loop loop, URI uri, Ws.Handler handler) {
            this.loop = loop;
            this.uri = uri;
            this.handler = handler;
        }

        /** On the loop. */
        void start() {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                int port = uri.getPort() > 0 ? uri.getPort() : 80;
                boolean connected = channel.connect(new InetSocketAddress(uri.getHost(), port));
                key = channel.register(loop.selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
                if (connected) {
                    sendHandshake();
                }
            } catch (IOException | RuntimeException e) {
                failed(e);
            }
        }

        void finishConnect() throws IOException {
            channel.finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            sendHandshake();
        }

        private void sendHandshake() throws IOException {
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path += "?" + uri.getRawQuery();
            }
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + uri.getRawAuthority() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + Auth.headerLine(Auth.viewer()) + "\r\n";
            write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        }

        /** On the loop: reads what is there and hands every complete frame to the handler. */
        void read() throws IOException {
            while (!closed) {
                ByteBuffer buffer = loop.buffer;
                int carried = leftover == null ? 0 : leftover.length;
                if (buffer.capacity() < Math.max(needed, carried) + 16 * 1024) {
                    loop.buffer = buffer = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, needed + 64 * 1024));
                }
                buffer.clear();
                if (leftover != null) {
                    buffer.put(leftover);
                    leftover = null;
                }
                int n = channel.read(buffer);
                if (n < 0) {
                    ended(1006, "connection ended");
                    return;
                }
                if (n == 0) {
                    if (carried > 0) {
                        leftover = java.util.Arrays.copyOf(buffer.array(), carried);
                    }
                    return;
                }
                long now = Micros.now();
                boolean full = !buffer.hasRemaining();
                int limit = buffer.position();
                int used = open ? frames(buffer.array(), limit, now) : handshake(buffer.array(), limit, now);
                if (!closed && used < limit) {
                    leftover = java.util.Arrays.copyOfRange(buffer.array(), used, limit);
                }
                if (!full) {
                    return;
                }
            }
        }

        private int handshake(byte[] a, int limit, long now) throws IOException {
            int end = -1;
            for (int i = 3; i < limit; i++) {
                if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                    end = i + 1;
                    break;
                }
            }
            if (end < 0) {
                if (limit > 16 * 1024) {
                    throw new IOException("handshake response too long");
                }
                return 0;
            }
            String head = new String(a, 0, end, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw Ws.HandshakeRefused.of(head);
            }
            open = true;
            handler.onOpen(this);
            opened.complete(this);
            return end + frames(a, limit, now, end);
        }

        private int frames(byte[] a, int limit, long now) throws IOException {
            return frames(a, limit, now, 0);
        }

        /** Handles whole frames in a[from, limit); returns how many bytes were used, from {@code from}. */
        private int frames(byte[] a, int limit, long now, int from) throws IOException {
            int p = from;
            needed = 0;
            while (!closed && limit - p >= 2) {
                int b0 = a[p] & 0xFF;
                int b1 = a[p + 1] & 0xFF;
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0F;
                boolean masked = (b1 & 0x80) != 0;
                long length = b1 & 0x7F;
                int header = 2;
                if (length == 126) {
                    if (limit - p < 4) {
                        break;
                    }
                    length = ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
                    header = 4;
                } else if (length == 127) {
                    if (limit - p < 10) {
                        break;
                    }
                    length = 0;
                    for (int i = 2; i < 10; i++) {
                        length = (length << 8) | (a[p + i] & 0xFF);
                    }
                    header = 10;
                }
                if (masked) {
                    header += 4;
                }
                if (length > Integer.MAX_VALUE - 1024) {
                    throw new IOException("frame too large: " + length);
                }
                if (limit - p < header + length) {
                    needed = (int) (header + length);
                    break;
                }
                int start = p + header;
                if (masked) {
                    for (int i = 0; i < length; i++) {
                        a[start + i] ^= a[p + header - 4 + (i & 3)];
                    }
                }
                frame(opcode, fin, a, start, (int) length, now);
                p = start + (int) length;
            }
            return p - from;
        }

        private void frame(int opcode, boolean fin, byte[] a, int off, int len, long now) throws IOException {
            switch (opcode) {
                case 0x0, 0x1, 0x2 -> {
                    if (fin && fragments == null) {
                        if (opcode != 0x2) {
                            handler.onText(this, loop.frame.set(a, off, len), now);
                        }
                        return;
                    }
                    if (fragments == null) {
                        fragments = new ByteArrayOutputStream(Math.max(1024, len * 2));
                    }
                    fragments.write(a, off, len);
                    if (fin) {
                        byte[] whole = fragments.toByteArray();
                        fragments = null;
                        handler.onText(this, loop.frame.set(whole, 0, whole.length), now);
                    }
                }
                case 0x8 -> {
                    int code = len >= 2 ? ((a[off] & 0xFF) << 8) | (a[off + 1] & 0xFF) : 1005;
                    String reason = len > 2 ? new String(a, off + 2, len - 2, StandardCharsets.UTF_8) : "";
                    try {
                        write(encode(0x8, new byte[]{(byte) (code >> 8), (byte) code}));
                    } catch (IOException ignored) {
                        // the server may already have gone
                    }
                    ended(code, reason);
                }
                case 0x9 -> write(encode(0xA, java.util.Arrays.copyOfRange(a, off, off + len)));
                default -> {
                    // pong or reserved: nothing to do
                }
            }
        }

        @Override
        public void sendText(String text) {
            try {
                write(encode(0x1, text.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalStateException("send failed", e);
            }
        }

        /** Client frames are masked (RFC 6455 5.3). */
        private static ByteBuffer encode(int opcode, byte[] payload) {
            int len = payload.length;
            int header = len < 126 ? 2 : len < 65536 ? 4 : 10;
            ByteBuffer out = ByteBuffer.allocate(header + 4 + len);
            out.put((byte) (0x80 | opcode));
            if (len < 126) {
                out.put((byte) (0x80 | len));
            } else if (len < 65536) {
                out.put((byte) (0x80 | 126)).putShort((short) len);
            } else {
                out.put((byte) (0x80 | 127)).putLong(len);
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            out.put(mask);
            for (int i = 0; i < len; i++) {
                out.put((byte) (payload[i] ^ mask[i & 3]));
            }
            return out.flip();
        }

        /** Writes all of it; the frames written are small, so a full socket buffer is only waited out briefly. */
        private synchronized void write(ByteBuffer data) throws IOException {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (data.hasRemaining()) {
                if (channel.write(data) == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("write blocked for 5 s");
                    }
                    LockSupport.parkNanos(100_000);
                }
            }
        }

        @Override
        public void abort() {
            loop.runAndWait(() -> {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    channel.close();
                } catch (IOException ignored) {
                    // it is gone either way
                }
            });
        }

        @Override
        public void close() {
            loop.runAndWait(() -> {
                if (closed) {
                    return;
                }
                try {
                    write(encode(0x8, new byte[]{0x03, (byte) 0xE8}));
                } catch (IOException ignored) {
                    // closing anyway
                }
                closed = true;
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            });
        }

        private void ended(int code, String reason) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            if (!opened.isDone()) {
                opened.completeExceptionally(new IOException("closed during handshake: " + code + " " + reason));
            }
            handler.onClose(this, code, reason);
        }

        void failed(Throwable error) {
            if (!opened.isDone()) {
                closed = true;
                try {
                    if (channel != null) {
                        channel.close();
                    }
                } catch (IOException ignored) {
                    // closing anyway
                }
                opened.completeExceptionally(error);
                return;
            }
            if (closed) {
                return;
            }
            handler.onError(this, error);
            ended(1006, String.valueOf(error.getMessage()));
        }
    }
}
