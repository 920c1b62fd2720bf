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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.swarmcast.server.SendBoundsSupport.awaitEvents;
import static io.swarmcast.server.SendBoundsSupport.publish;
import static io.swarmcast.server.SendBoundsSupport.seqsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Answers count against a client's send bounds: a client that sends replay requests and never reads the answers
 * is closed as a slow consumer (1013) after a few of them, instead of making the server queue an answer per
 * request (each here about 2 MB, a thousand requests would be 2 GB), while a client that reads, on the same
 * server, gets every live event in order throughout.
 */
@SendBoundsServerTest
@ExtendWith(NoClientLeft.class)
class ReplayFloodIT {

    private static final int REQUESTS = 500;

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    MeterRegistry meters;


    @Test
    void aClientFloodingReplaysWithoutReadingIsClosedAndAReaderMissesNothing() throws Exception {
        // History for the answers: 1,000 events of 2 KB, so each default replay answer is about 2 MB,
        // twice the 1 MB reply bound.
        publish(server, 1_000, 2_000);
        double slowBefore = Meters.closed(meters, "slow_consumer");

        try (TestClient reader = TestClient.connectWelcomed(port);
             RawWebSocket flooder = RawWebSocket.connectNonReading(port, 4096)) {
            reader.subscribe("messages");
            List<Long> live = new ArrayList<>(publish(server, 20, 300));
            awaitEvents(reader, live.size());

            // Requests in bursts of 20, as fast as the server reads them, until it closes the flooder: left unread
            // in the kernel when the server closes the socket, a long tail of requests would make it reset the
            // connection, and the close frame would be lost with it.
            for (int i = 0; i < REQUESTS && Meters.closed(meters, "slow_consumer") == slowBefore; i++) {
                flooder.sendText("{\"type\":\"replay\",\"sinceSeq\":0,\"channels\":[\"messages\"]}");
                if (i % 20 == 19) {
                    live.add(server.broadcast(SendBoundsSupport.message(300)));
                    awaitEvents(reader, live.size());
                }
            }
            // Events keep flowing to the reader, paced by what it has read, until the flooder is gone.
            while (Meters.closed(meters, "slow_consumer") == slowBefore && live.size() < 5_000) {
                live.add(server.broadcast(SendBoundsSupport.message(300)));
                awaitEvents(reader, live.size());
            }
            assertThat(Meters.closed(meters, "slow_consumer")).as("the flooder, and only it").isEqualTo(slowBefore + 1);
            // The meter above says the server closed it as a slow consumer, that is with 1013. Whether the close
            // frame gets through depends on the socket: it waits behind the answer in flight, and the server
            // dropping a connection with requests still unread resets it, so the frame may be lost (as in
            // SlowConsumerIT). Either way the flooder is cut off.
            assertThat(flooder.readUntilClose()).as("1013 when the close frame gets through, else a dropped connection")
                    .isIn(1013, -1);
            await().atMost(Duration.ofSeconds(30)).until(() -> server.getConnectedClients() == 1);
            live.addAll(publish(server, 20, 300));
            awaitEvents(reader, live.size());

            assertThat(seqsOf(reader)).as("every live event, in order, exactly once").isEqualTo(live);
            assertThat(reader.isOpen()).isTrue();
        }
    }
}
