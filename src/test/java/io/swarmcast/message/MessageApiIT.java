package io.swarmcast.message;

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

import java.nio.charset.StandardCharsets;

import static io.swarmcast.support.Rest.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The message bus over REST: a message raises exactly one {@code message:sent} with its size in bytes and the
 * dashboard's view, counts toward both agents' message counts, and a broadcast goes to {@code *}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MessageApiIT {

    private static final String MESSAGE_TYPES = "task, response, query, broadcast, error";

    @LocalServerPort
    int port;

    private TestClient client;
    private ChannelWatch messages;
    private String alice;
    private String bob;
    private String carol;

    @BeforeEach
    void setUp() {
        alice = Rest.spawnAgent(port, Rest.unique("coder"), "Alice", "coder");
        bob = Rest.spawnAgent(port, Rest.unique("tester"), "Bob", "tester");
        carol = Rest.spawnAgent(port, Rest.unique("analyst"), "Carol", "analyst");
        client = TestClient.connectWelcomed(port);
        client.subscribe("messages");
        messages = new ChannelWatch(client, "messages");
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aMessageBetweenTwoAgentsRaisesOneMessageSentAndCountsForBoth() {
        int mark = messages.mark();
        String text = "ready for review: für Bob ✓";
        long expectedSize = text.getBytes(StandardCharsets.UTF_8).length;

        Http.Response sent = Rest.post(port, "/api/messages",
                object("source", alice, "target", bob, "type", "query", "payload", text));

        assertThat(sent.status()).isEqualTo(201);
        JsonNode message = sent.json();
        String messageId = message.path("id").asString();
        assertThat(messageId).isNotBlank();
        assertThat(message.path("size").asLong()).isEqualTo(expectedSize).isGreaterThan(text.length());
        assertThat(messageCount(alice)).isEqualTo(1);
        assertThat(messageCount(bob)).isEqualTo(1);
        assertThat(messageCount(carol)).isZero();

        JsonNode event = messages.exactlyOneSince(mark);
        assertThat(event.path("type").asString()).isEqualTo("message:sent");
        assertThat(event.path("event").asString()).isEqualTo("message:sent");
        assertThat(event.path("channel").asString()).isEqualTo("messages");
        assertThat(event.path("id").asString()).isEqualTo("evt-" + event.path("seq").asLong());
        assertThat(event.path("messageId").asString()).isEqualTo(messageId);
        assertThat(event.path("source").asString()).isEqualTo(alice);
        assertThat(event.path("target").asString()).isEqualTo(bob);
        assertThat(event.path("messageType").asString()).isEqualTo("query");
        assertThat(event.path("payload").asString()).isEqualTo(text);
        assertThat(event.path("size").asLong()).isEqualTo(expectedSize);
        JsonNode data = event.path("data");
        assertThat(data.path("id").asString()).isEqualTo(messageId);
        assertThat(data.path("source").asString()).isEqualTo(alice);
        assertThat(data.path("target").asString()).isEqualTo(bob);
        assertThat(data.path("type").asString()).isEqualTo("query");
        assertThat(data.path("direction").asString()).isEqualTo("internal");
        assertThat(data.path("content").isString()).isTrue();
        assertThat(data.path("content").asString()).isEqualTo(text);
        assertThat(data.path("size").asLong()).isEqualTo(expectedSize);
        assertThat(data.path("timestamp").asLong()).isEqualTo(message.path("timestamp").asLong());
    }

    @Test
    void anObjectPayloadTravelsAsJsonAndItsContentAsText() {
        int mark = messages.mark();
        JsonNode payload = object("task", "task-9", "files", java.util.List.of("A.java", "B.java"));

        JsonNode message = Rest.expect(Rest.post(port, "/api/messages",
                object("source", alice, "target", carol, "type", "task", "payload", payload)), 201).json();

        long expectedSize = payload.toString().getBytes(StandardCharsets.UTF_8).length;
        assertThat(message.path("size").asLong()).isEqualTo(expectedSize);
        JsonNode event = messages.exactlyOneSince(mark);
        assertThat(event.path("payload")).isEqualTo(payload);
        assertThat(event.path("data").path("data")).isEqualTo(payload);
        assertThat(event.path("data").path("content").isString()).isTrue();
        assertThat(TestClient.JSON.readTree(event.path("data").path("content").asString())).isEqualTo(payload);
        assertThat(event.path("size").asLong()).isEqualTo(expectedSize);
    }

    @Test
    void messageCountsGrowWithEveryMessage() {
        for (int i = 0; i < 3; i++) {
            Rest.expect(Rest.post(port, "/api/messages",
                    object("source", alice, "target", bob, "type", "task", "payload", "step " + i)), 201);
        }
        Rest.expect(Rest.post(port, "/api/messages",
                object("source", bob, "target", alice, "type", "response", "payload", "done")), 201);

        assertThat(messageCount(alice)).isEqualTo(4);
        assertThat(messageCount(bob)).isEqualTo(4);
        assertThat(messageCount(carol)).isZero();
        assertThat(messages.exactlySince(0, 4)).extracting(e -> e.path("messageType").asString())
                .containsExactly("task", "task", "task", "response");
    }

    @Test
    void aBroadcastGoesToEveryoneAndCountsForTheSender() {
        int mark = messages.mark();

        JsonNode message = Rest.expect(Rest.post(port, "/api/messages",
                object("source", carol, "target", "*", "type", "broadcast", "payload", object("note", "standup"))), 201).json();

        assertThat(message.path("target").asString()).isEqualTo("*");
        JsonNode event = messages.exactlyOneSince(mark);
        assertThat(event.path("target").asString()).isEqualTo("*");
        assertThat(event.path("messageType").asString()).isEqualTo("broadcast");
        assertThat(event.path("data").path("target").asString()).isEqualTo("*");
        assertThat(messageCount(carol)).isEqualTo(1);
        assertThat(messageCount(alice)).isZero();

        // A broadcast may leave the target out.
        int second = messages.mark();
        JsonNode untargeted = Rest.expect(Rest.post(port, "/api/messages",
                object("source", carol, "type", "broadcast", "payload", "all hands")), 201).json();
        assertThat(untargeted.path("target").asString()).isEqualTo("*");
        assertThat(messages.exactlyOneSince(second).path("target").asString()).isEqualTo("*");
        assertThat(messageCount(carol)).isEqualTo(2);
    }

    @Test
    void unknownAgentsAre404WithAClearMessage() {
        String ghost = Rest.unique("ghost");
        long seq = Rest.newestSeq(port);
        int mark = messages.mark();

        Http.Response noSource = Rest.post(port, "/api/messages", object("source", ghost, "target", bob, "type", "query"));
        assertThat(noSource.status()).isEqualTo(404);
        assertThat(noSource.json().path("error").asString()).isEqualTo("agent '" + ghost + "' not found");
        Http.Response noTarget = Rest.post(port, "/api/messages", object("source", alice, "target", ghost, "type", "query"));
        assertThat(noTarget.status()).isEqualTo(404);
        assertThat(noTarget.json().path("error").asString()).isEqualTo("agent '" + ghost + "' not found");

        assertThat(messageCount(alice)).isZero();
        assertThat(messageCount(bob)).isZero();
        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        messages.noneSince(mark);
    }

    @Test
    void aStoppedAgentCannotSend() {
        Rest.expect(Rest.delete(port, "/api/agents/" + carol), 200);
        long seq = Rest.newestSeq(port);
        int mark = messages.mark();

        Http.Response refused = Rest.post(port, "/api/messages", object("source", carol, "target", alice, "type", "query"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("error").asString()).contains(carol).contains("stopped");
        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        messages.noneSince(mark);
    }

    @Test
    void invalidBodiesAre400NamingTheField() {
        long seq = Rest.newestSeq(port);
        int mark = messages.mark();

        assertBadRequest(Rest.post(port, "/api/messages", object("target", bob, "type", "query")), "source");
        Http.Response noType = Rest.post(port, "/api/messages", object("source", alice, "target", bob));
        assertBadRequest(noType, "type");
        assertThat(noType.json().path("error").asString()).contains(MESSAGE_TYPES);
        Http.Response badType = Rest.post(port, "/api/messages", object("source", alice, "target", bob, "type", "chat"));
        assertBadRequest(badType, "type");
        assertThat(badType.json().path("error").asString()).contains(MESSAGE_TYPES).contains("chat");
        assertBadRequest(Rest.post(port, "/api/messages", object("source", alice, "type", "query")), "target");
        assertBadRequest(Rest.post(port, "/api/messages", object("source", 7, "target", bob, "type", "query")), "source");
        assertThat(Http.post(port, "/api/messages", "[1,2]").status()).isEqualTo(400);

        assertThat(messageCount(alice)).isZero();
        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        messages.noneSince(mark);
    }

    private long messageCount(String agentId) {
        return Rest.expect(Http.get(port, "/api/agents/" + agentId), 200).json().path("metrics").path("messageCount").asLong();
    }

    private static void assertBadRequest(Http.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("field").asString()).as(response.body()).isEqualTo(field);
        assertThat(response.json().path("error").asString()).as(response.body()).contains(field);
    }
}
