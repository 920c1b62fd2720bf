package io.swarmcast.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcast.support.NoClientLeft;
import io.swarmcast.support.Meters;
import io.swarmcast.support.RawWebSocket;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.swarmcast.server.SendBoundsServerTest.TOTAL_SEND_BUFFER_LIMIT;
import static io.swarmcast.server.SendBoundsSupport.awaitEvents;
import static io.swarmcast.server.SendBoundsSupport.publish;
import static io.swarmcast.server.SendBoundsSupport.seqsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The heap that send queues can take is bounded whatever clients do: a thousand subscribed clients that stop
 * reading (each with a small receive buffer, so their queues back up at once) and a flood of replay requests
 * from clients that never read the answers, while a normal client keeps receiving every event in order.
 * Queued bytes for all clients never go much past {@code limits.total-send-buffer-limit} (32 MB here), and the
 * heap after it all (measured in this JVM, which runs the server) has grown by less than that bound plus a
 * margin for the history and writes in flight, where without the bounds the flood alone asks for gigabytes.
 */
@SendBoundsServerTest
@ExtendWith(NoClientLeft.class)
class SendMemoryIT {

    private static final int STALLED = 1_000;
    private static final int FLOODERS = 10;
    private static final int REQUESTS_PER_FLOODER = 200;
    /** The documented bound (docs/architecture.md) plus room for the history's new events and writes in flight. */
    private static final long HEAP_GROWTH_BOUND = TOTAL_SEND_BUFFER_LIMIT + 64L * 1024 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    MeterRegistry meters;


    @Test
    void aThousandClientsThatDoNotReadAndAReplayFloodStayWithinTheMemoryBound() throws Exception {
        // History for the replay answers: each about 2 MB (1,000 events of 2 KB).
        publish(server, 1_000, 2_000);
        List<RawWebSocket> stalled = new ArrayList<>(STALLED);
        List<RawWebSocket> flooders = new ArrayList<>(FLOODERS);
        QueuedBytesPeak queued = new QueuedBytesPeak(server.connections());
        try (TestClient reader = TestClient.connectWelcomed(port)) {
            reader.subscribe("messages");
            for (int i = 0; i < STALLED; i++) {
                RawWebSocket client = RawWebSocket.connectNonReading(port, 2048);
                stalled.add(client);
                client.sendText("{\"type\":\"subscribe\",\"channel\":\"messages\",\"snapshot\":false}");
                // Read the welcome and subscribed, then never again.
                assertThat(client.read().text()).contains("\"welcome\"");
                assertThat(client.read().text()).contains("\"subscribed\"");
            }
            for (int i = 0; i < FLOODERS; i++) {
                flooders.add(RawWebSocket.connectNonReading(port, 2048));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.getConnectedClients() == 1 + STALLED + FLOODERS);
            long heapBefore = usedHeapAfterGc();
            double slowBefore = Meters.closed(meters, "slow_consumer");
            queued.start();

            List<Long> live = new ArrayList<>();
            for (int round = 0; round < REQUESTS_PER_FLOODER; round++) {
                for (RawWebSocket flooder : flooders) {
                    try {
                        flooder.sendText("{\"type\":\"replay\",\"sinceSeq\":0}");
                    } catch (java.net.SocketException closedByTheServer) {
                        // Already closed as a slow consumer: nothing more to send it.
                    }
                }
                // Live events of 2 KB for everyone, paced by the reader so that it can never be the slow one.
                live.add(server.broadcast(SendBoundsSupport.message(2_000)));
                awaitEvents(reader, live.size());
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Meters.closed(meters, "slow_consumer") >= slowBefore + FLOODERS);
            long heapAfter = usedHeapAfterGc();
            queued.close();

            assertThat(seqsOf(reader)).as("the reader gets every event in order throughout").isEqualTo(live);
            assertThat(reader.isOpen()).isTrue();
            // Past the bound only by the offers made while the largest queues are being closed: one answer (about
            // 2 MB here) per flooder at most, since each flooder's replays are answered one at a time.
            assertThat(queued.peak()).isLessThan(TOTAL_SEND_BUFFER_LIMIT + FLOODERS * 3L * 1024 * 1024);
            assertThat(heapAfter - heapBefore).as("heap growth, bytes (before: %d)", heapBefore)
                    .isLessThan(HEAP_GROWTH_BOUND);
            for (RawWebSocket flooder : flooders) {
                assertThat(flooder.readUntilClose()).as("a flooder is closed as a slow consumer").isIn(1013, -1);
            }
        } finally {
            queued.close();
            stalled.forEach(RawWebSocket::close);
            flooders.forEach(RawWebSocket::close);
        }
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
