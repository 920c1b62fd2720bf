package io.swarmcast.timeline;

import io.swarmcast.log.EventLog;
import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/state?atSeq=N} and {@code ?at=T} with the in-memory log (docs/protocol.md 7.12): random points equal
 * a fresh fold of the log up to them; the newest point equals the live state; points older than the history answer
 * 410 naming the oldest available; malformed values 400. A small history and frequent checkpoints, so both are
 * crossed many times.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"swarmcast.history-size=" + TimelineIT.HISTORY, "swarmcast.timeline.checkpoint-every=16",
                "swarmcast.timeline.max-checkpoints=1000",
                "swarmcast.metrics-enabled=false", "swarmcast.server-id=timeline"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TimelineIT {

    static final int HISTORY = 1500;
    private static final long RETENTION = Duration.ofMinutes(5).toMillis();

    @LocalServerPort
    int port;
    @Autowired
    EventLog log;
    @Autowired
    ObjectMapper mapper;
    @Autowired
    Timeline timeline;

    @Test
    @Order(1)
    void theStateAtRandomPointsIsTheFoldOfTheLogUpToThem() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        TimelineOracle.postRandomEvents(port, random, "p", 300);
        assertThat(log.oldestSeq()).as("the whole log is still held").isEqualTo(1);
        TimelineOracle.assertRandomPointsMatch(port, mapper, log, RETENTION, random, 25);
        assertThat(timeline.checkpointCount()).isGreaterThan(5);
    }

    @Test
    @Order(2)
    void theNewestPointIsTheLiveState() {
        Rest.spawnAgent(port, "live-1", "Live One", "coder");
        Rest.createTask(port, "live-task", "compare");
        Rest.taskCommand(port, "live-task", "assign", Rest.object().put("agentId", "live-1"));
        Rest.taskCommand(port, "live-task", "start", Rest.object());
        Rest.expect(Rest.put(port, "/api/memory/live/plan", "{\"a\":1}"), 201);
        JsonNode live = Http.get(port, "/api/state").json();
        JsonNode point = Http.get(port, "/api/state?atSeq=" + live.path("seq").asLong()).json();
        assertThat(point.path("seq").asLong()).isEqualTo(live.path("seq").asLong());
        assertThat(point.path("tasks")).isEqualTo(live.path("tasks"));
        assertThat(point.path("topology")).isEqualTo(live.path("topology"));
        JsonNode liveAgent = byId(live.path("agents"), "live-1");
        JsonNode pointAgent = byId(point.path("agents"), "live-1");
        assertThat(pointAgent.path("status")).isEqualTo(liveAgent.path("status"));
        assertThat(pointAgent.path("currentTask")).isEqualTo(liveAgent.path("currentTask"));
        assertThat(pointAgent.path("metrics")).isEqualTo(liveAgent.path("metrics"));
        assertThat(point.path("memory").toString()).contains("\"namespace\":\"live\"", "\"key\":\"plan\"");
        assertThat(point.path("metrics").path("activeAgents").asInt()).isPositive();
    }

    @Test
    @Order(3)
    void aPointOlderThanTheHistoryIsGoneWithTheOldestAvailable() {
        for (int i = 0; i < HISTORY / 100 + 1; i++) {
            publish(port, java.util.stream.IntStream.range(0, 100).mapToObj(n -> agent("gone-" + n, "busy")).toList());
        }
        long oldest = log.oldestSeq();
        assertThat(oldest).isGreaterThan(1);

        Http.Response gone = Http.get(port, "/api/state?atSeq=1");
        assertThat(gone.status()).isEqualTo(410);
        JsonNode body = gone.json();
        assertThat(body.path("code").asString()).isEqualTo("history_trimmed");
        long oldestAvailable = body.path("oldestSeq").asLong();
        assertThat(oldestAvailable).isBetween(oldest - 1, oldest - 1 + 16);
        assertThat(body.has("oldestTime")).isTrue();
        assertThat(Http.get(port, "/api/state?atSeq=" + oldestAvailable).status()).isEqualTo(200);
        assertThat(Http.get(port, "/api/state?atSeq=" + (oldestAvailable - 1)).status()).isEqualTo(410);

        Http.Response timeGone = Http.get(port, "/api/state?at=1000");
        assertThat(timeGone.status()).isEqualTo(410);
        assertThat(timeGone.json().path("code").asString()).isEqualTo("history_trimmed");
        assertThat(timeGone.json().path("oldestSeq").asLong()).isEqualTo(oldestAvailable);
    }

    @Test
    @Order(4)
    void malformedPointsAre400AndTheFutureIsTheNewestState() {
        assertBadRequest("/api/state?atSeq=abc", "atSeq", "invalid_field");
        assertBadRequest("/api/state?atSeq=-1", "atSeq", "invalid_field");
        assertBadRequest("/api/state?atSeq=18446744073709551616", "atSeq", "invalid_field");
        assertBadRequest("/api/state?atSeq=", "atSeq", "invalid_field");
        assertBadRequest("/api/state?at=yesterday", "at", "invalid_field");
        assertBadRequest("/api/state?at=2026-13-01T00:00:00Z", "at", "invalid_field");
        assertBadRequest("/api/state?at=1&atSeq=1", "at", "invalid_field");
        long newest = log.newestSeq();
        Http.Response beyond = Http.get(port, "/api/state?atSeq=" + (newest + 1000));
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.json().path("code").asString()).isEqualTo("beyond_head");
        assertThat(beyond.json().path("newestSeq").asLong()).isGreaterThanOrEqualTo(newest);

        // A time after every event is the newest state; ISO-8601 and epoch ms name the same instant.
        await().atMost(Duration.ofSeconds(5)).until(() -> timeline.checkpointCount() > 0);
        String iso = Instant.now().plusSeconds(3600).toString();
        JsonNode future = Http.get(port, "/api/state?at=" + iso).json();
        assertThat(future.path("seq").asLong()).isEqualTo(log.newestSeq());
        long millis = Instant.parse(iso).toEpochMilli();
        assertThat(Http.get(port, "/api/state?at=" + millis).json().path("seq").asLong()).isEqualTo(log.newestSeq());
    }

    private void assertBadRequest(String path, String field, String code) {
        Http.Response response = Http.get(port, path);
        assertThat(response.status()).as(path).isEqualTo(400);
        assertThat(response.json().path("code").asString()).as(path).isEqualTo(code);
        assertThat(response.json().path("field").asString()).as(path).isEqualTo(field);
    }

    private static JsonNode byId(JsonNode array, String id) {
        for (JsonNode node : array) {
            if (id.equals(node.path("id").asString())) {
                return node;
            }
        }
        throw new AssertionError("no " + id + " in " + array);
    }
}
