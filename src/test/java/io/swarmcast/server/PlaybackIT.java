package io.swarmcast.server;

import io.swarmcast.support.RawWebSocket;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Playback over WebSocket (docs/protocol.md 7.14): exactly the logged events between the points, in order, at the
 * requested speed, then back to live with nothing lost or repeated while a producer keeps posting; pause, seek and
 * stop; errors; and a playback to a client that does not read holds a bounded queue.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"swarmcast.history-size=50000", "swarmcast.timeline.checkpoint-every=64",
                "swarmcast.metrics-enabled=false", "swarmcast.server-id=playback"})
class PlaybackIT {

    private static final List<String> DURABLE = List.of("agents", "tasks", "messages", "memory", "topology");

    @LocalServerPort
    int port;
    @Autowired
    EventServer server;
    @Autowired
    Playbacks playbacks;

    @Test
    void playsExactlyTheLoggedEventsAtTheRequestedSpeedThenResumesLiveWithoutLossOrRepeat() throws Exception {
        try (TestClient watcher = TestClient.connectWelcomed(port);
             TestClient viewer = TestClient.connectWelcomed(port)) {
            watcher.subscribe(DURABLE.toArray(String[]::new));
            viewer.subscribe(DURABLE.toArray(String[]::new));
            // 40 messages 100 ms apart in event time: 3.9 s of history, 975 ms at speed 4.
            long base = System.currentTimeMillis() - 60_000;
            List<ObjectNode> history = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                history.add(message("pb-" + i, base + i * 100L));
            }
            List<Long> seqs = publish(port, history);
            long fromSeq = seqs.get(0) - 1;
            long toSeq = seqs.get(seqs.size() - 1);

            AtomicBoolean producing = new AtomicBoolean(true);
            List<Long> produced = new ArrayList<>();
            Thread producer = new Thread(() -> {
                int n = 0;
                while (producing.get()) {
                    produced.addAll(publish(port, agent("live-" + (n++ % 5), n % 2 == 0 ? "busy" : "idle")));
                    try {
                        Thread.sleep(15);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            producer.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> produced.size() > 5);
                viewer.sendJson(Map.of("type", "playback", "fromSeq", fromSeq, "toSeq", toSeq, "speed", 4,
                        "channels", List.of("messages")));
                JsonNode started = viewer.awaitFrame(f -> isPlayback(f, "started"));
                assertThat(started.path("atSeq").asLong()).isEqualTo(fromSeq);
                assertThat(started.path("toSeq").asLong()).isEqualTo(toSeq);
                assertThat(started.path("speed").asDouble()).isEqualTo(4.0);
                viewer.awaitFrame(f -> isPlayback(f, "ended"));
                JsonNode live = viewer.awaitFrame(f -> isPlayback(f, "live"));
                assertThat(live.path("recovered").asBoolean()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> produced.size() > 20);
            } finally {
                producing.set(false);
                producer.join();
            }
            long newest = produced.get(produced.size() - 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> liveSeqs(viewer).contains(newest)
                    && liveSeqs(watcher).contains(newest));

            // Exactly the logged events between the points, in order, marked, and nothing else marked.
            List<JsonNode> played = viewer.frames().stream().filter(f -> f.path("playback").asBoolean(false)
                    && f.has("seq")).toList();
            assertThat(played).extracting(f -> f.path("seq").asLong()).containsExactlyElementsOf(seqs);
            assertThat(played).allMatch(f -> "message:sent".equals(f.path("type").asString()));
            // At speed 4: 39 gaps of 100 ms are 975 ms between the first and the last (arrival times, loosely).
            long spanMillis = arrivalSpan(viewer, seqs.get(0), toSeq);
            assertThat(spanMillis).as("time between the first and last event played").isBetween(800L, 4_000L);

            // Live: the watcher and the viewer both saw every event exactly once, in order, playback aside.
            List<Long> watcherSeqs = liveSeqs(watcher);
            List<Long> viewerSeqs = liveSeqs(viewer);
            assertContiguous(watcherSeqs);
            assertThat(viewerSeqs).as("live, missed and live again: every seq once, in order").isEqualTo(
                    watcherSeqs.subList(watcherSeqs.indexOf(viewerSeqs.get(0)), watcherSeqs.size()));
            int liveFrame = indexOf(viewer, f -> isPlayback(f, "live"));
            int endedFrame = indexOf(viewer, f -> isPlayback(f, "ended"));
            assertThat(liveFrame).isGreaterThan(endedFrame);
            List<JsonNode> afterStart = viewer.frames().subList(indexOf(viewer, f -> isPlayback(f, "started")), liveFrame);
            assertThat(afterStart).as("no live event while playing back")
                    .noneMatch(f -> f.has("channel") && f.has("seq") && !f.path("playback").asBoolean(false));
        }
    }

    @Test
    void pauseSeekResumeAndStop() {
        try (TestClient viewer = TestClient.connectWelcomed(port)) {
            viewer.subscribe("messages", "agents");
            long base = System.currentTimeMillis() - 120_000;
            List<ObjectNode> history = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                history.add(message("ps-" + i, base + i * 1000L));
            }
            List<Long> seqs = publish(port, history);
            long fromSeq = seqs.get(0) - 1;

            // Control without a playback, and bad values, are error frames; the connection stays.
            viewer.sendJson(Map.of("type", "pause"));
            assertThat(viewer.awaitType("error").path("code").asString()).isEqualTo("no_playback");
            viewer.sendJson(Map.of("type", "playback", "fromSeq", fromSeq, "speed", -1));
            assertError(viewer, 2, "invalid_field", "speed");
            viewer.sendJson(Map.of("type", "playback", "fromSeq", fromSeq, "speed", 1_000_000));
            assertError(viewer, 3, "invalid_field", "speed");
            viewer.sendJson(Map.of("type", "playback", "speed", 2));
            assertError(viewer, 4, "invalid_field", "fromSeq");
            viewer.sendJson(Map.of("type", "playback", "fromSeq", 10, "toSeq", 5));
            assertError(viewer, 5, "invalid_field", "toSeq");
            viewer.sendJson(Map.of("type", "seek"));
            assertError(viewer, 6, "invalid_field", "toSeq");
            viewer.sendJson(Map.of("type", "playback", "fromSeq", Long.MAX_VALUE));
            assertError(viewer, 7, "invalid_field", "fromSeq");
            viewer.awaitFrame(f -> isPlayback(f, "live"));

            // Speed 1, one event a second: the first comes after a second; pause holds the rest.
            viewer.sendJson(Map.of("type", "playback", "fromSeq", fromSeq, "speed", 1, "channels", List.of("messages")));
            viewer.awaitFrame(f -> isPlayback(f, "started"));
            viewer.sendJson(Map.of("type", "subscribe", "channel", "tasks"));
            assertError(viewer, 8, "playback_active", "type");
            await().atMost(Duration.ofSeconds(10)).until(() -> played(viewer).size() >= 1);
            viewer.sendJson(Map.of("type", "pause"));
            JsonNode paused = viewer.awaitFrame(f -> isPlayback(f, "paused"));
            int atPause = played(viewer).size();
            assertThat(paused.path("seq").asLong()).isEqualTo(seqs.get(atPause - 1));
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> played(viewer).size() == atPause);

            // Seek while paused: the snapshot at the new point, nothing played until resume, then from there on.
            long seekTo = seqs.get(20);
            viewer.sendJson(Map.of("type", "seek", "toSeq", seekTo));
            JsonNode seeked = viewer.awaitFrame(f -> isPlayback(f, "seeked"));
            assertThat(seeked.path("atSeq").asLong()).isEqualTo(seekTo);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> played(viewer).size() == atPause);
            viewer.sendJson(Map.of("type", "resume"));
            viewer.awaitFrame(f -> isPlayback(f, "resumed"));
            await().atMost(Duration.ofSeconds(10)).until(() -> played(viewer).size() >= atPause + 1);
            assertThat(played(viewer).get(atPause)).as("the first event after the seek point").isEqualTo(seqs.get(21));

            viewer.sendJson(Map.of("type", "stop"));
            viewer.awaitFrame(f -> isPlayback(f, "stopped"));
            await().atMost(Duration.ofSeconds(5)).until(() -> framesOfStatus(viewer, "live") == 2);
            int afterStop = played(viewer).size();
            await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3))
                    .until(() -> played(viewer).size() == afterStop);
            viewer.sendJson(Map.of("type", "stop"));
            assertThat(viewer.nextOfType("error").path("code").asString()).isEqualTo("no_playback");
            await().atMost(Duration.ofSeconds(5)).until(() -> playbacks.running() == 0);
        }
    }

    @Test
    void aPlaybackToAClientThatDoesNotReadHoldsABoundedQueue() throws Exception {
        long fromSeq = server.newestSeq();
        List<Long> seqs = SendBoundsSupport.publish(server, 4_000, 2_000); // about 8 MB of frames
        QueuedBytesPeak queued = new QueuedBytesPeak(server.connections()).start();
        try (queued;
             RawWebSocket stalled = RawWebSocket.connectNonReading(port, 4096);
             TestClient reader = TestClient.connectWelcomed(port)) {
            reader.subscribe("messages");
            stalled.sendText("{\"type\":\"subscribe\",\"channel\":\"messages\"}");
            stalled.sendText("{\"type\":\"playback\",\"fromSeq\":" + fromSeq + ",\"speed\":0}");
            await().atMost(Duration.ofSeconds(10)).until(() -> playbacks.running() == 1);
            // The playback waits for the stalled client's queue rather than reading on; a reader is unaffected.
            List<Long> more = SendBoundsSupport.publish(server, 200, 100);
            await().atMost(Duration.ofSeconds(20)).until(() -> reader.events().stream()
                    .anyMatch(f -> f.path("seq").asLong() == more.get(more.size() - 1)));
            assertContiguous(SendBoundsSupport.seqsOf(reader));
            // It is closed as a slow consumer once its write has been stuck for the send-time limit (10 s) at the
            // latest, and its playback ends with it.
            await().atMost(Duration.ofSeconds(30)).until(() -> playbacks.running() == 0);
        }
        assertThat(seqs).hasSize(4_000);
        // The playback's high water plus a page's overshoot (64 KiB), plus the reader's own 200 small live frames,
        // which a loaded machine may hold in the reader's queue for a moment (about 400 bytes each). Without the high
        // water the stalled client's queue would take the whole 8 MB.
        assertThat(queued.peak()).as("bytes queued for all clients while the stalled one played back")
                .isLessThan(Playbacks.QUEUE_HIGH_WATER + 64 * 1024 + 200 * 400);
    }

    private static ObjectNode message(String id, long timestamp) {
        return TestClient.JSON.createObjectNode().put("type", "message:sent").put("messageId", id)
                .put("source", "pb-a").put("target", "pb-b").put("messageType", "task").put("payload", id)
                .put("timestamp", timestamp);
    }

    private static boolean isPlayback(JsonNode frame, String status) {
        return "playback".equals(frame.path("type").asString()) && status.equals(frame.path("status").asString());
    }

    private static int framesOfStatus(TestClient client, String status) {
        return (int) client.frames().stream().filter(f -> isPlayback(f, status)).count();
    }

    private static void assertError(TestClient client, int count, String code, String field) {
        JsonNode error = client.awaitType("error", count);
        assertThat(error.path("code").asString()).as(error.toString()).isEqualTo(code);
        assertThat(error.path("field").asString()).as(error.toString()).isEqualTo(field);
    }

    /** Seqs of the events played back (not snapshots), in arrival order. */
    private static List<Long> played(TestClient client) {
        return client.frames().stream().filter(f -> f.path("playback").asBoolean(false) && f.has("seq"))
                .map(f -> f.path("seq").asLong()).collect(Collectors.toList());
    }

    /** Seqs of the events received live or as a resume's catch-up (not played back, not snapshots). */
    private static List<Long> liveSeqs(TestClient client) {
        return client.frames().stream().filter(f -> f.has("seq") && f.has("channel") && !f.path("playback").asBoolean(false))
                .map(f -> f.path("seq").asLong()).collect(Collectors.toList());
    }

    private static int indexOf(TestClient client, java.util.function.Predicate<JsonNode> matching) {
        List<JsonNode> frames = client.frames();
        for (int i = 0; i < frames.size(); i++) {
            if (matching.test(frames.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Milliseconds between the arrival of the played-back events of the two seqs. */
    private static long arrivalSpan(TestClient client, long firstSeq, long lastSeq) {
        int first = indexOf(client, f -> f.path("playback").asBoolean(false) && f.path("seq").asLong() == firstSeq);
        int last = indexOf(client, f -> f.path("playback").asBoolean(false) && f.path("seq").asLong() == lastSeq);
        return (client.arrivalNanos(last) - client.arrivalNanos(first)) / 1_000_000;
    }

    private static void assertContiguous(List<Long> seqs) {
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("seq after %s", seqs.get(i - 1)).isEqualTo(seqs.get(i - 1) + 1);
        }
    }
}
