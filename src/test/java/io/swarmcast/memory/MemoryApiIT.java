package io.swarmcast.memory;

import io.swarmcast.support.ChannelWatch;
import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.swarmcast.support.Rest.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared memory over REST: store and update (201 vs 200), retrieve (the second read a cache hit), search by
 * text and by prefix, delete, expiry; each operation raises exactly one {@code memory:operation} with its
 * measured latency.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MemoryApiIT {

    @LocalServerPort
    int port;

    private TestClient client;
    private ChannelWatch memory;
    private String ns;

    @BeforeEach
    void setUp() {
        ns = Rest.unique("ns");
        client = TestClient.connectWelcomed(port);
        client.subscribe("memory");
        memory = new ChannelWatch(client, "memory");
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void storeThenUpdateAre201Then200AndStoreThenUpdateEvents() {
        String path = "/api/memory/" + ns + "/plan";
        int mark = memory.mark();

        Http.Response stored = Rest.put(port, path + "?agentId=coder-1", "{\"steps\":[\"parse\",\"emit\"]}");

        assertThat(stored.status()).isEqualTo(201);
        assertThat(stored.json().path("value").toString()).isEqualTo("{\"steps\":[\"parse\",\"emit\"]}");
        assertThat(stored.json().path("expiresAt").isNull()).isTrue();
        JsonNode store = memory.exactlyOneSince(mark);
        assertOperation(store, "store", "plan");
        assertThat(store.path("value").toString()).isEqualTo("{\"steps\":[\"parse\",\"emit\"]}");
        assertThat(store.path("resultCount").asInt()).isEqualTo(1);
        assertThat(store.path("data").path("agentId").asString()).isEqualTo("coder-1");
        assertThat(store.path("data").path("value")).isEqualTo(store.path("value"));

        mark = memory.mark();
        Http.Response updated = Rest.put(port, path, "\"just ship it\"");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("createdAt").asLong()).isEqualTo(stored.json().path("createdAt").asLong());
        assertThat(updated.json().path("updatedAt").asLong()).isGreaterThanOrEqualTo(stored.json().path("updatedAt").asLong());
        JsonNode update = memory.exactlyOneSince(mark);
        assertOperation(update, "update", "plan");
        assertThat(update.path("value").asString()).isEqualTo("just ship it");
        assertThat(Http.get(port, path).json().path("value").asString()).isEqualTo("just ship it");
    }

    @Test
    void retrieveTwiceIsAMissThenACacheHit() {
        String path = "/api/memory/" + ns + "/config";
        Rest.expect(Rest.put(port, path, "{\"retries\":3}"), 201);
        client.awaitFrame(frame -> "store".equals(frame.path("operation").asString()) && ns.equals(frame.path("namespace").asString()));

        int mark = memory.mark();
        Http.Response first = Http.get(port, path + "?agentId=tester-2");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("value").path("retries").asInt()).isEqualTo(3);
        JsonNode miss = memory.exactlyOneSince(mark);
        assertOperation(miss, "retrieve", "config");
        assertThat(miss.path("cacheHit").asBoolean()).isFalse();
        assertThat(miss.path("data").path("cacheHit").asBoolean()).isFalse();
        assertThat(miss.path("resultCount").asInt()).isEqualTo(1);
        assertThat(miss.path("value").path("retries").asInt()).isEqualTo(3);
        assertThat(miss.path("data").path("agentId").asString()).isEqualTo("tester-2");

        mark = memory.mark();
        Http.Response second = Http.get(port, path);
        assertThat(second.json().path("value")).isEqualTo(first.json().path("value"));
        JsonNode hit = memory.exactlyOneSince(mark);
        assertOperation(hit, "retrieve", "config");
        assertThat(hit.path("cacheHit").asBoolean()).isTrue();
        assertThat(hit.path("data").path("cacheHit").asBoolean()).isTrue();

        // A write invalidates the cached entry: the next read misses again and sees the new value.
        mark = memory.mark();
        Rest.expect(Rest.put(port, path, "{\"retries\":5}"), 200);
        memory.exactlyOneSince(mark);
        mark = memory.mark();
        assertThat(Http.get(port, path).json().path("value").path("retries").asInt()).isEqualTo(5);
        JsonNode afterWrite = memory.exactlyOneSince(mark);
        assertThat(afterWrite.path("operation").asString()).isEqualTo("retrieve");
        assertThat(afterWrite.path("cacheHit").asBoolean()).isFalse();
    }

    @Test
    void searchFindsTextInKeysAndValuesAndByPrefix() {
        Rest.expect(Rest.put(port, "/api/memory/" + ns + "/alpha", "{\"note\":\"contains the NEEDLE here\"}"), 201);
        Rest.expect(Rest.put(port, "/api/memory/" + ns + "/needle-key", "\"plain\""), 201);
        Rest.expect(Rest.put(port, "/api/memory/" + ns + "/alpine", "\"nothing to see\""), 201);
        Rest.expect(Rest.put(port, "/api/memory/" + ns + "/beta", "42"), 201);
        Rest.expect(Rest.put(port, "/api/memory/" + Rest.unique("other") + "/needle", "\"other namespace\""), 201);
        memory.exactlySince(0, 5);

        int mark = memory.mark();
        JsonNode byText = Rest.expect(Http.get(port, "/api/memory/" + ns + "?q=needle"), 200).json();
        assertThat(byText.path("count").asInt()).isEqualTo(2);
        assertThat(keys(byText)).containsExactly("alpha", "needle-key");
        JsonNode textSearch = memory.exactlyOneSince(mark);
        assertThat(textSearch.path("operation").asString()).isEqualTo("search");
        assertThat(textSearch.path("namespace").asString()).isEqualTo(ns);
        assertThat(textSearch.path("query").asString()).isEqualTo("needle");
        assertThat(textSearch.path("resultCount").asInt()).isEqualTo(2);
        assertThat(textSearch.path("data").path("resultCount").asInt()).isEqualTo(2);
        assertThat(textSearch.has("key")).isFalse();
        assertLatency(textSearch);

        mark = memory.mark();
        JsonNode byPrefix = Rest.expect(Http.get(port, "/api/memory/" + ns + "?prefix=alp"), 200).json();
        assertThat(byPrefix.path("count").asInt()).isEqualTo(2);
        assertThat(keys(byPrefix)).containsExactly("alpha", "alpine");
        JsonNode prefixSearch = memory.exactlyOneSince(mark);
        assertThat(prefixSearch.path("query").asString()).contains("alp");
        assertThat(prefixSearch.path("resultCount").asInt()).isEqualTo(2);

        mark = memory.mark();
        JsonNode both = Rest.expect(Http.get(port, "/api/memory/" + ns + "?prefix=alp&q=needle"), 200).json();
        assertThat(keys(both)).containsExactly("alpha");
        assertThat(memory.exactlyOneSince(mark).path("resultCount").asInt()).isEqualTo(1);

        mark = memory.mark();
        JsonNode none = Rest.expect(Http.get(port, "/api/memory/" + ns + "?q=haystack"), 200).json();
        assertThat(none.path("count").asInt()).isZero();
        assertThat(memory.exactlyOneSince(mark).path("resultCount").asInt()).isZero();

        JsonNode all = Rest.expect(Http.get(port, "/api/memory/" + ns), 200).json();
        assertThat(keys(all)).containsExactly("alpha", "alpine", "beta", "needle-key");
    }

    @Test
    void deleteRemovesTheValue() {
        String path = "/api/memory/" + ns + "/scratch";
        Rest.expect(Rest.put(port, path, "\"temporary\""), 201);
        memory.exactlySince(0, 1);
        int mark = memory.mark();

        Http.Response deleted = Rest.delete(port, path);

        assertThat(deleted.status()).isEqualTo(204);
        JsonNode delete = memory.exactlyOneSince(mark);
        assertOperation(delete, "delete", "scratch");
        assertThat(delete.path("resultCount").asInt()).isEqualTo(1);

        Http.Response gone = Http.get(port, path);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("error").asString()).isEqualTo("memory key '" + ns + "/scratch' not found");
        Http.Response deletedAgain = Rest.delete(port, path);
        assertThat(deletedAgain.status()).isEqualTo(404);
        assertThat(deletedAgain.json().path("error").asString()).isEqualTo("memory key '" + ns + "/scratch' not found");
        assertThat(keys(Http.get(port, "/api/memory/" + ns).json())).doesNotContain("scratch");
    }

    @Test
    void aMissIsA404AndAnOperationThatFoundNothing() {
        int mark = memory.mark();

        Http.Response missing = Http.get(port, "/api/memory/" + ns + "/never-stored");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").asString()).isEqualTo("memory key '" + ns + "/never-stored' not found");
        JsonNode miss = memory.exactlyOneSince(mark);
        assertOperation(miss, "retrieve", "never-stored");
        assertThat(miss.path("resultCount").asInt()).isZero();
        assertThat(miss.path("cacheHit").asBoolean()).isFalse();
        assertThat(miss.has("value")).isFalse();
    }

    @Test
    void aValueWithATtlExpires() {
        String path = "/api/memory/" + ns + "/lease";
        Rest.expect(Rest.put(port, "/api/memory/" + ns + "/keeper", "\"stays\""), 201);

        Http.Response stored = Rest.put(port, path + "?ttl=1", "{\"holder\":\"coder-1\"}");

        assertThat(stored.status()).isEqualTo(201);
        assertThat(stored.json().path("expiresAt").asLong() - stored.json().path("updatedAt").asLong()).isEqualTo(1000);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> Http.get(port, path).status() == 404);
        assertThat(Http.get(port, path).json().path("error").asString()).contains(ns + "/lease");
        assertThat(keys(Http.get(port, "/api/memory/" + ns).json())).containsExactly("keeper");
        assertThat(Http.get(port, "/api/memory/" + ns + "/keeper").status()).isEqualTo(200);

        // Once expired, writing the key again is a new store, not an update.
        assertThat(Rest.put(port, path, "\"again\"").status()).isEqualTo(201);
    }

    @Test
    void invalidRequestsAre400NamingTheFieldAndEmitNothing() {
        String path = "/api/memory/" + ns + "/key";
        long seq = Rest.newestSeq(port);
        int mark = memory.mark();

        Http.Response empty = Rest.putEmpty(port, path);
        assertThat(empty.status()).as(empty.body()).isEqualTo(400);
        assertThat(empty.json().path("field").asString()).isEqualTo("value");
        assertThat(empty.json().path("error").asString()).contains("value");
        Http.Response zeroTtl = Rest.put(port, path + "?ttl=0", "1");
        assertThat(zeroTtl.status()).isEqualTo(400);
        assertThat(zeroTtl.json().path("field").asString()).isEqualTo("ttl");
        Http.Response wordTtl = Rest.put(port, path + "?ttl=soon", "1");
        assertThat(wordTtl.status()).isEqualTo(400);
        assertThat(wordTtl.json().path("field").asString()).as(wordTtl.body()).isEqualTo("ttl");
        assertThat(Rest.put(port, path, "{broken").status()).isEqualTo(400);

        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        memory.noneSince(mark);
    }

    private void assertOperation(JsonNode event, String operation, String key) {
        assertThat(event.path("type").asString()).isEqualTo("memory:operation");
        assertThat(event.path("event").asString()).isEqualTo("memory:operation");
        assertThat(event.path("channel").asString()).isEqualTo("memory");
        assertThat(event.path("id").asString()).isEqualTo("evt-" + event.path("seq").asLong());
        assertThat(event.path("operation").asString()).isEqualTo(operation);
        assertThat(event.path("namespace").asString()).isEqualTo(ns);
        assertThat(event.path("key").asString()).isEqualTo(key);
        JsonNode data = event.path("data");
        assertThat(data.path("id").asString()).isEqualTo(event.path("id").asString());
        assertThat(data.path("operation").asString()).isEqualTo(operation);
        assertThat(data.path("namespace").asString()).isEqualTo(ns);
        assertThat(data.path("key").asString()).isEqualTo(key);
        assertThat(data.path("success").asBoolean()).isTrue();
        assertThat(data.path("timestamp").asLong()).isPositive();
        assertLatency(event);
    }

    private static void assertLatency(JsonNode event) {
        assertThat(event.path("latency").isNumber()).as(event.toString()).isTrue();
        assertThat(event.path("latency").asDouble()).isGreaterThanOrEqualTo(0.0).isLessThan(5_000.0);
        assertThat(event.path("data").path("latency").asDouble()).isEqualTo(event.path("latency").asDouble());
    }

    private static List<String> keys(JsonNode searchResult) {
        List<String> keys = new ArrayList<>();
        for (JsonNode entry : searchResult.path("results")) {
            keys.add(entry.path("key").asString());
        }
        return keys;
    }
}
