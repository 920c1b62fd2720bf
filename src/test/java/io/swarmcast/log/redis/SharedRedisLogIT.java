package io.swarmcast.log.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import io.swarmcast.support.TestRedis;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static io.swarmcast.support.ProtocolFixtures.agent;
import static io.swarmcast.support.ProtocolFixtures.awaitSeq;
import static io.swarmcast.support.ProtocolFixtures.message;
import static io.swarmcast.support.ProtocolFixtures.mixed;
import static io.swarmcast.support.ProtocolFixtures.publish;
import static io.swarmcast.support.ProtocolFixtures.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several instances on one Redis: every event, whichever instance took it, reaches every client of every instance
 * once and in seq order; a client resumes on another instance; history outlives the instances.
 */
class SharedRedisLogIT extends OneRedisServer {

    static final String[] DURABLE = {"agents", "tasks", "messages", "memory", "topology"};

    @Test
    void everyClientOfEitherInstanceSeesEverySeqOnceInOneOrderUnderConcurrentIngest() throws Exception {
        String prefix = TestRedis.newKeyPrefix();
        try (SwarmcastInstance a = SwarmcastInstance.start(redis, prefix, "a");
             SwarmcastInstance b = SwarmcastInstance.start(redis, prefix, "b");
             TestClient onA = TestClient.connectWelcomed(a.port);
             TestClient onB = TestClient.connectWelcomed(b.port)) {
            assertThat(onA.awaitType("welcome").path("epoch").asString()).as("one log, one epoch")
                    .isNotBlank().isEqualTo(onB.awaitType("welcome").path("epoch").asString());
            onA.subscribe(DURABLE);
            onB.subscribe(DURABLE);

            long first = publish(a.port, agent("from-a", "busy")).get(0);
            assertThat(awaitSeq(onB, first).path("agentId").asString()).as("ingested on A, delivered on B").isEqualTo("from-a");

            List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>(List.of(first)));
            List<Long> batchesApart = Collections.synchronizedList(new ArrayList<>());
            ExecutorService producers = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (SwarmcastInstance target : List.of(a, b)) {
                    runs.add(producers.submit(() -> {
                        for (int batch = 0; batch < 25; batch++) {
                            List<JsonNode> events = new ArrayList<>();
                            for (int i = 0; i < 4; i++) {
                                events.add(mixed("p" + target.port + "-" + batch, i));
                            }
                            acknowledged.addAll(publish(target.port, events));
                            // Messages cause nothing else: a batch of them is one append, so its seqs are
                            // consecutive even while the other instance appends at the same time.
                            List<JsonNode> messages = new ArrayList<>();
                            for (int i = 0; i < 5; i++) {
                                messages.add(message("m" + target.port + "-" + batch + "-" + i, "together"));
                            }
                            List<Long> together = publish(target.port, messages);
                            acknowledged.addAll(together);
                            batchesApart.addAll(LongStream.range(0, together.size())
                                    .filter(i -> together.get((int) i) != together.get(0) + i).boxed().toList());
                        }
                    }));
                }
                for (Future<?> run : runs) {
                    run.get();
                }
            } finally {
                producers.shutdownNow();
            }

            long newest = Collections.max(acknowledged);
            awaitSeq(onA, newest);
            awaitSeq(onB, newest);
            List<Long> seenOnA = seqs(onA.events());
            List<Long> seenOnB = seqs(onB.events());
            assertThat(seenOnA).as("every seq once, in order, no gap").isEqualTo(
                    LongStream.rangeClosed(first, newest).boxed().toList());
            assertThat(seenOnB).isEqualTo(seenOnA);
            assertThat(seenOnA).containsAll(acknowledged);
            assertThat(batchesApart).as("a batch's events are appended together, with consecutive seqs").isEmpty();
        }
    }

    @Test
    void aClientOfOneInstanceResumesOnAnotherWithNothingLostOrRepeated() {
        String prefix = TestRedis.newKeyPrefix();
        try (SwarmcastInstance a = SwarmcastInstance.start(redis, prefix, "a");
             SwarmcastInstance b = SwarmcastInstance.start(redis, prefix, "b")) {
            String epoch;
            long lastSeen;
            try (TestClient onA = TestClient.connectWelcomed(a.port)) {
                epoch = onA.awaitType("welcome").path("epoch").asString();
                onA.subscribe("agents", "tasks", "messages", "memory");
                List<Long> seen = publish(a.port, mixed("seen", 0), mixed("seen", 1), mixed("seen", 2));
                lastSeen = seen.get(2);
                awaitSeq(onA, lastSeen);
            }
            // A goes on without the client, which then turns up on B.
            List<Long> missed = publish(a.port, mixed("missed", 0), mixed("missed", 1), mixed("missed", 2), mixed("missed", 3));

            try (TestClient onB = TestClient.connectWelcomed(b.port)) {
                onB.sendJson(Map.of("type", "subscribe", "channels", List.of("agents", "tasks", "messages", "memory"),
                        "sinceSeq", lastSeen, "epoch", epoch, "snapshot", false));
                JsonNode subscribed = onB.awaitType("subscribed");
                long live = publish(b.port, agent("live-on-b", "idle")).get(0);
                awaitSeq(onB, live);

                assertThat(subscribed.path("recovered").asBoolean()).as(subscribed.toString()).isTrue();
                List<Long> expected = new ArrayList<>(missed);
                expected.add(live);
                assertThat(seqs(onB.events())).isEqualTo(expected);
                assertThat(onB.framesOfType("error")).isEmpty();
            }
        }
    }

    @Test
    void historyOutlivesEveryInstance() {
        String prefix = TestRedis.newKeyPrefix();
        String epoch;
        List<Long> before;
        try (SwarmcastInstance a = SwarmcastInstance.start(redis, prefix, "a");
             SwarmcastInstance b = SwarmcastInstance.start(redis, prefix, "b");
             TestClient client = TestClient.connectWelcomed(a.port)) {
            epoch = client.awaitType("welcome").path("epoch").asString();
            before = new ArrayList<>(publish(a.port, mixed("old", 0), mixed("old", 1)));
            before.addAll(publish(b.port, mixed("old", 2), mixed("old", 3)));
        }

        try (SwarmcastInstance c = SwarmcastInstance.start(redis, prefix, "c");
             TestClient client = TestClient.connectWelcomed(c.port)) {
            JsonNode welcome = client.awaitType("welcome");
            assertThat(welcome.path("epoch").asString()).as("same log, same epoch").isEqualTo(epoch);
            assertThat(welcome.path("seq").asLong()).isEqualTo(before.get(3));

            client.sendJson(Map.of("type", "replay", "sinceSeq", 0, "channels", List.of("agents", "tasks", "messages", "memory")));
            JsonNode replay = client.awaitType("replay");
            assertThat(replay.path("complete").asBoolean()).isTrue();
            assertThat(replay.path("epoch").asString()).isEqualTo(epoch);
            List<Long> replayed = new ArrayList<>();
            ((ArrayNode) replay.path("events")).forEach(e -> replayed.add(e.path("seq").asLong()));
            assertThat(replayed).isEqualTo(before);
            assertThat(replay.path("events").get(1).path("taskId").asString()).isEqualTo("old-task-1");

            long next = publish(c.port, agent("after-restart", "idle")).get(0);
            assertThat(next).as("seqs go on where they were").isEqualTo(before.get(3) + 1);
        }
    }

    @Test
    void eachAppendedBatchIsAnnouncedOnTheNoticeChannelForObserversOutside() {
        String prefix = TestRedis.newKeyPrefix();
        RedisClient observer = RedisClient.create(redis.url());
        try (SwarmcastInstance a = SwarmcastInstance.start(redis, prefix, "a");
             StatefulRedisPubSubConnection<String, String> subscription = observer.connectPubSub()) {
            List<String> notices = new CopyOnWriteArrayList<>();
            subscription.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    notices.add(channel + " " + message);
                }
            });
            String channel = "{" + prefix + "}:appended";
            subscription.sync().subscribe(channel);
            String epoch = a.bean(RedisEventLog.class).epoch();

            List<Long> batch = publish(a.port, mixed("noticed", 0), mixed("noticed", 1), mixed("noticed", 2));
            long single = publish(a.port, agent("noticed-alone", "idle")).get(0);

            // A notice names the newest seq of its batch; the agent:status may be followed by a topology:change
            // appended after it, so the last notice is for that seq or the next.
            await().until(() -> !notices.isEmpty() && noticedSeq(notices.get(notices.size() - 1)) >= single);
            assertThat(notices).allSatisfy(notice -> assertThat(notice).startsWith(channel + " " + epoch + ":"));
            List<Long> noticed = notices.stream().map(SharedRedisLogIT::noticedSeq).toList();
            assertThat(noticed).as("in seq order, one per batch").doesNotHaveDuplicates().isSorted()
                    .contains(batch.get(2));
        } finally {
            observer.shutdown();
        }
    }

    private static long noticedSeq(String notice) {
        return Long.parseLong(notice.substring(notice.lastIndexOf(':') + 1));
    }
}
