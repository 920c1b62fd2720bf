package io.swarmcast.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InboundFrameTest {

    @Test
    void aFrameInOnePartComesBackAsItIs() {
        InboundFrame frame = new InboundFrame(100);
        String part = "{\"type\":\"ping\"}";
        assertThat(frame.addText(part, true)).isTrue();
        assertThat(frame.takeText(part)).isSameAs(part);
    }

    @Test
    void partsArePutTogetherAndTheNextFrameStartsAfresh() {
        InboundFrame frame = new InboundFrame(100);
        assertThat(frame.addText("{\"type\":", false)).isTrue();
        assertThat(frame.addText("\"ping\"}", true)).isTrue();
        assertThat(frame.takeText("\"ping\"}")).isEqualTo("{\"type\":\"ping\"}");
        assertThat(frame.addText("{}", true)).isTrue();
        assertThat(frame.takeText("{}")).isEqualTo("{}");
    }

    @Test
    void theLimitIsInUtf8BytesAcrossParts() {
        InboundFrame frame = new InboundFrame(9);
        assertThat(frame.addText("€€", false)).as("6 bytes").isTrue();
        assertThat(frame.addText("€", false)).as("9 bytes: at the limit").isTrue();
        assertThat(frame.addText("a", true)).as("10 bytes").isFalse();
        assertThat(frame.addText("small", true)).as("a refused frame leaves nothing behind").isTrue();
        assertThat(frame.takeText("small")).isEqualTo("small");
    }

    @Test
    void binaryFramesAreMeasuredToo() {
        InboundFrame frame = new InboundFrame(10);
        assertThat(frame.addBinary(6, false)).isTrue();
        assertThat(frame.addBinary(4, true)).isTrue();
        assertThat(frame.addBinary(8, false)).isTrue();
        assertThat(frame.addBinary(3, false)).isFalse();
    }
}
