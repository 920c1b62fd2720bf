package io.swarmcast.log.redis;

import io.swarmcast.log.EventLog;
import io.swarmcast.support.Http;
import io.swarmcast.support.TestRedis;
import io.swarmcast.timeline.TimelineOracle;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/state?atSeq=N} on the shared Redis log: random points equal a fresh fold of the stream up to them,
 * on the instance that took the events and on one started later (whose timeline begins where its startup catch-up
 * ended: earlier points are 410 there, later ones agree).
 */
class RedisTimelineIT extends OneRedisServer {

    @Test
    void theStateAtRandomPointsIsTheFoldOfTheSharedLogUpToThem() {
        String prefix = TestRedis.newKeyPrefix();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (SwarmcastInstance a = SwarmcastInstance.start(redis, prefix, "a", "--swarmcast.timeline.checkpoint-every=16")) {
            TimelineOracle.postRandomEvents(a.port, random, "r", 300);
            EventLog log = a.bean(EventLog.class);
            TimelineOracle.assertRandomPointsMatch(a.port, a.bean(ObjectMapper.class), log, Duration.ofMinutes(5).toMillis(),
                    random, 12);

            long before = log.newestSeq();
            try (SwarmcastInstance b = SwarmcastInstance.start(redis, prefix, "b", "--swarmcast.timeline.checkpoint-every=16")) {
                Http.Response old = Http.get(b.port, "/api/state?atSeq=1");
                assertThat(old.status()).as("seed %s: %s", seed, old.body()).isEqualTo(410);
                assertThat(old.json().path("oldestSeq").asLong()).isEqualTo(before);
                TimelineOracle.postRandomEvents(a.port, random, "s", 100);
                long newest = log.newestSeq();
                for (long seq = before; seq <= newest; seq += 1 + random.nextInt(40)) {
                    JsonNode onA = Http.get(a.port, "/api/state?atSeq=" + seq).json();
                    JsonNode onB = Http.get(b.port, "/api/state?atSeq=" + seq).json();
                    // B's start state comes from its services (the same fold, but times such as an agent's last activity
                    // are B's own): what the events set must agree; times may differ.
                    for (String key : new String[] {"topology", "atSeq"}) {
                        assertThat(onB.path(key)).as("seed %s: %s at %s", seed, key, seq).isEqualTo(onA.path(key));
                    }
                    // The Redis checkpoint B may have started from keeps no memory entry's createdAt (a known limit
                    // of io.swarmcast.replica's checkpoint): the rest of each entry must agree.
                    assertThat(entries(onB.path("memory"))).as("seed %s: memory at %s", seed, seq)
                            .isEqualTo(entries(onA.path("memory")));
                    assertThat(ids(onB.path("agents"))).as("seed %s: agents at %s", seed, seq).isEqualTo(ids(onA.path("agents")));
                    assertThat(unfinished(onB.path("tasks"))).as("seed %s: tasks at %s", seed, seq)
                            .isEqualTo(unfinished(onA.path("tasks")));
                }
            }
        }
    }

    private static String entries(JsonNode memory) {
        StringBuilder entries = new StringBuilder();
        memory.forEach(entry -> entries.append(entry.path("namespace").asString()).append('/')
                .append(entry.path("key").asString()).append('=').append(entry.path("value")).append('@')
                .append(entry.path("updatedAt").asLong()).append(';'));
        return entries.toString();
    }

    private static String unfinished(JsonNode tasks) {
        StringBuilder ids = new StringBuilder();
        tasks.forEach(task -> {
            String status = task.path("status").asString();
            if (!status.equals("completed") && !status.equals("failed")) {
                ids.append(task.path("id").asString()).append(' ').append(status).append(' ')
                        .append(task.path("assignedAgent").asString()).append(';');
            }
        });
        return ids.toString();
    }

    private static String ids(JsonNode agents) {
        StringBuilder ids = new StringBuilder();
        agents.forEach(agent -> ids.append(agent.path("id").asString()).append(' ').append(agent.path("status").asString())
                .append(' ').append(agent.path("currentTask").asString()).append(';'));
        return ids.toString();
    }
}
