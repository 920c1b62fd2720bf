package io.swarmcast.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Frames are built by hand, so every length encoding of RFC 6455 section 5.2 is checked at its edges. */
class WireFrameTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 200_000})
    void textFrameHeaderCarriesThePayloadLength(int length) {
        String text = "x".repeat(length);
        WireFrame frame = WireFrame.text(text);
        ByteBuffer bytes = frame.buffer();

        assertThat(bytes.get() & 0xFF).as("FIN and the text opcode").isEqualTo(0x81);
        int second = bytes.get() & 0xFF;
        assertThat(second & 0x80).as("never masked").isZero();
        long declared = second & 0x7F;
        if (length < 126) {
            assertThat(declared).isEqualTo(length);
        } else if (length <= 0xFFFF) {
            assertThat(declared).isEqualTo(126);
            declared = bytes.getShort() & 0xFFFF;
        } else {
            assertThat(declared).isEqualTo(127);
            declared = bytes.getLong();
        }
        assertThat(declared).isEqualTo(length);
        assertThat(bytes.remaining()).isEqualTo(length);
        assertThat(frame.length()).isEqualTo(bytes.limit());
        assertThat(FakeFrameSocket.decode(frame.buffer())).isEqualTo(text);
        assertThat(frame.text()).as("the payload without the header").isEqualTo(text);
    }

    @Test
    void theTextIsDecodedOnceAndSharedByEveryClient() {
        WireFrame frame = WireFrame.text("{\"content\":\"héllo ✓ 🐝\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(frame.text()).isEqualTo("{\"content\":\"héllo ✓ 🐝\"}").isSameAs(frame.text());
    }

    @Test
    void payloadIsUtf8AndTheLengthCountsBytes() {
        String text = "{\"content\":\"héllo ✓ 🐝\"}";
        WireFrame frame = WireFrame.text(text);
        int utf8 = text.getBytes(StandardCharsets.UTF_8).length;
        assertThat(utf8).isGreaterThan(text.length());
        assertThat(frame.length()).isEqualTo(2 + utf8);
        assertThat(FakeFrameSocket.decode(frame.buffer())).isEqualTo(text);
    }

    @Test
    void eachBufferIsAFreshViewSoClientsDoNotShareAPosition() {
        WireFrame frame = WireFrame.text("{}");
        ByteBuffer first = frame.buffer();
        first.position(first.limit());
        assertThat(frame.buffer().remaining()).isEqualTo(4);
    }

    @Test
    void pingIsAnEmptyFinalPingFrame() {
        assertThat(WireFrame.PING.isPing()).isTrue();
        assertThat(WireFrame.PING.length()).isEqualTo(2);
        assertThat(FakeFrameSocket.decode(WireFrame.PING.buffer())).isEqualTo(FakeFrameSocket.PING);
        assertThat(WireFrame.text("").isPing()).isFalse();
    }
}
