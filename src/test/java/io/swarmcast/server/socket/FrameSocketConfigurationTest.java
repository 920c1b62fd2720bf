package io.swarmcast.server.socket;

import io.swarmcast.SwarmcastProperties.Delivery.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The startup choice of {@code swarmcast.delivery.socket}, on this Tomcat and on one whose internals moved. */
@ExtendWith(OutputCaptureExtension.class)
class FrameSocketConfigurationTest {

    private static final Supplier<TomcatInternals> MOVED = () -> {
        throw new IllegalStateException("Tomcat's org.apache.tomcat.websocket.WsSession.wsRemoteEndpoint was not found");
    };

    @Test
    void autoTakesTheDirectPathOnThisTomcat(CapturedOutput output) {
        assertThat(FrameSocketConfiguration.choose(Socket.AUTO, 1_000, TomcatInternals::load).name())
                .isEqualTo("direct");
        assertThat(output).doesNotContain("WARN");
    }

    @Test
    void autoFallsBackToTheStandardPathWithOneWarningNamingTheReason(CapturedOutput output) {
        assertThat(FrameSocketConfiguration.choose(Socket.AUTO, 1_000, MOVED).name()).isEqualTo("standard");

        assertThat(output.toString().lines().filter(line -> line.contains("WARN")))
                .singleElement().asString().contains("WsSession.wsRemoteEndpoint was not found");
    }

    @Test
    void directRefusesToStartWhenTheInternalsMoved() {
        assertThatThrownBy(() -> FrameSocketConfiguration.choose(Socket.DIRECT, 1_000, MOVED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("swarmcast.delivery.socket=direct")
                .hasMessageContaining("WsSession.wsRemoteEndpoint was not found");
    }

    @Test
    void standardNeverLooksAtTomcat() {
        assertThat(FrameSocketConfiguration.choose(Socket.STANDARD, 1_000, MOVED).name()).isEqualTo("standard");
    }
}
