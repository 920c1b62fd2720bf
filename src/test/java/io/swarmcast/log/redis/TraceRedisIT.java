package io.swarmcast.log.redis;

import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import io.swarmcast.support.TestRedis;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.awaitSeq;
import static io.swarmcast.support.ProtocolFixtures.message;
import static io.swarmcast.support.ProtocolFixtures.publish;
import static io.swarmcast.support.ProtocolFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Causal links on the shared Redis log (docs/protocol.md 7.12): {@code traceId} and {@code parentId} survive the
 * store (every instance reads events back from Redis, its own included), reach the clients of another instance and
 * its replay, and each instance's {@code GET /api/trace} answers from what its tail read, saying so when it started
 * after older history.
 */
class TraceRedisIT extends OneRedisServer {

    private static List<Long> seqsOf(JsonNode answer) {
        List<Long> seqs = new ArrayList<>();
        answer.path("events").forEach(frame -> seqs.add(frame.path("seq").asLong()));
        return seqs;
    }

    private static JsonNode traceOn(SwarmcastInstance instance, String traceId, int expectedCount) {
        return await().until(() -> Http.get(instance.port, "/api/trace/" + traceId),
                response -> response.status() == 200 && response.json().path("count").asInt() == expectedCount).json();
    }

    @Test
    void theLinkSurvivesTheSharedLogAndEveryInstanceAnswersForTheTrace() {
        String prefix = TestRedis.newKeyPrefix();
        try (SwarmcastInstance a = SwarmcastInstance.start(redis, prefix, "a");
             SwarmcastInstance b = SwarmcastInstance.start(redis, prefix, "b");
             TestClient onB = TestClient.connectWelcomed(b.port)) {
            onB.subscribe("agents", "tasks", "messages");
            List<Long> seqs = publish(a.port,
                    message("msg-1", "go").put("traceId", "task-17"),
                    task("task-17", "pending").put("traceId", "task-17").put("parentId", "msg-1"),
                    agent("bystander", "idle").put("parentId", "msg-1"));

            JsonNode message = awaitSeq(onB, seqs.get(0));
            assertThat(message.path("traceId").asString()).as("through Redis to another instance").isEqualTo("task-17");
            assertThat(message.has("parentId")).isFalse();
            JsonNode task = awaitSeq(onB, seqs.get(1));
            assertThat(task.path("traceId").asString()).isEqualTo("task-17");
            assertThat(task.path("parentId").asString()).isEqualTo("msg-1");
            JsonNode bystander = awaitSeq(onB, seqs.get(2));
            assertThat(bystander.path("parentId").asString()).isEqualTo("msg-1");
            assertThat(bystander.has("traceId")).isFalse();

            for (SwarmcastInstance instance : List.of(a, b)) {
                JsonNode answer = traceOn(instance, "task-17", 2);
                assertThat(seqsOf(answer)).containsExactly(seqs.get(0), seqs.get(1));
                assertThat(answer.path("complete").asBoolean()).isTrue();
                assertThat(answer.path("events").get(1)).as("the frame a client received").isEqualTo(task);
            }

            onB.sendJson(Map.of("type", "replay", "sinceSeq", seqs.get(0) - 1, "channels", List.of("tasks")));
            JsonNode replayed = onB.awaitType("replay").path("events").get(0);
            assertThat(replayed.path("traceId").asString()).as("read back from the stream").isEqualTo("task-17");
            assertThat(replayed.path("parentId").asString()).isEqualTo("msg-1");

            // An instance started now indexes what its tail reads from here on: older history is not in its answer,
            // and the answer says it is not complete rather than passing a part for the whole.
            try (SwarmcastInstance c = SwarmcastInstance.start(redis, prefix, "c")) {
                assertThat(Http.get(c.port, "/api/trace/task-17").status()).isEqualTo(404);
                long later = publish(a.port, agent("later", "busy").put("traceId", "task-17")).get(0);
                JsonNode onC = traceOn(c, "task-17", 1);
                assertThat(seqsOf(onC)).containsExactly(later);
                assertThat(onC.path("complete").asBoolean()).isFalse();
                assertThat(seqsOf(traceOn(a, "task-17", 3))).containsExactly(seqs.get(0), seqs.get(1), later);
            }
        }
    }
}
