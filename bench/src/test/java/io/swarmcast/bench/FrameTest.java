package io.swarmcast.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The string search that replaces JSON parsing must find exactly the fields the scenarios read. */
class FrameTest {

    /** A message:sent frame as the server writes it: "t" first appears inside the flat payload. */
    private static final String EVENT = "{\"type\":\"message:sent\",\"event\":\"message:sent\",\"channel\":\"messages\","
            + "\"seq\":4711,\"id\":\"evt-4711\",\"timestamp\":1764085000123,\"messageId\":\"b1-9\",\"source\":\"bench-producer\","
            + "\"target\":\"bench-sink\",\"messageType\":\"broadcast\",\"payload\":{\"t\":1764085000123456},\"size\":24,"
            + "\"data\":{\"id\":\"b1-9\",\"content\":\"{\\\"t\\\":1764085000123456}\",\"data\":{\"t\":1764085000123456}}}";
    private static final String WELCOME = "{\"type\":\"welcome\",\"clientId\":\"c-1\",\"serverId\":\"vm\",\"protocol\":1,"
            + "\"epoch\":\"k3x9q2\",\"seq\":1234,\"heartbeatInterval\":30000,\"timestamp\":1764085000000}";

    private static Frame bytes(String text) {
        byte[] padded = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
        return new Frame.Bytes().set(padded, 2, padded.length - 4);
    }

    @Test
    void readsSendTimeAndSeqWithoutConfusingSimilarNames() {
        for (Frame frame : new Frame[]{bytes(EVENT), new Frame.Chars(EVENT), new Frame.Chars(new StringBuilder(EVENT))}) {
            assertEquals(1764085000123456L, frame.longAfter(BenchClient.T), frame.getClass().getSimpleName());
            assertEquals(4711L, frame.longAfter(BenchClient.SEQ));
            assertFalse(frame.startsWith(BenchClient.WELCOME));
        }
    }

    @Test
    void readsWelcomeFieldsAndReportsMissingOnes() {
        for (Frame frame : new Frame[]{bytes(WELCOME), new Frame.Chars(WELCOME)}) {
            assertTrue(frame.startsWith(BenchClient.WELCOME));
            assertEquals("k3x9q2", frame.stringAfter(BenchClient.EPOCH));
            assertEquals(1234L, frame.longAfter(BenchClient.SEQ));
            assertEquals(Frame.MISSING, frame.longAfter(BenchClient.T));
            assertNull(frame.stringAfter(new Frame.Pattern("\"nothing\":\"")));
        }
    }

    @Test
    void onlyLooksInsideItsOwnBytes() {
        // The search must stop at the frame's end even though the buffer holds more.
        byte[] buffer = "{\"a\":1}{\"t\":99}".getBytes(StandardCharsets.UTF_8);
        Frame first = new Frame.Bytes().set(buffer, 0, 7);
        assertEquals(Frame.MISSING, first.longAfter(BenchClient.T));
        assertEquals(99L, new Frame.Bytes().set(buffer, 7, 8).longAfter(BenchClient.T));
    }

    @Test
    void subscribeRequestCarriesSinceOnlyWhenResuming() {
        String request = BenchClient.subscribe("messages,agents");
        assertEquals("{\"type\":\"subscribe\",\"snapshot\":false,\"channels\":[\"messages\",\"agents\"]}",
                request.replace("$SINCE", ""));
    }
}
