package io.swarmcast.server;

import jakarta.websocket.Session;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.apache.tomcat.util.net.SocketWrapperBase.BlockingMode;
import org.apache.tomcat.util.net.SocketWrapperBase.CompletionState;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The branches of the socket write that a real connection takes only by chance (SharedSocketIT drives the
 * real thing): a write that finds Tomcat holding the socket must not wait on the caller's thread, but be
 * handed to the blocking-write executor and wait there.
 */
class TomcatFrameSocketTest {

    private final SocketWrapperBase<?> socket = mock(SocketWrapperBase.class);
    private final List<Runnable> handedOver = new ArrayList<>();
    private final TomcatFrameSocket frameSocket = new TomcatFrameSocket(socket, 10_000, handedOver::add);
    private final ByteBuffer[] buffers = {WireFrame.text("{}").buffer()};
    private final FrameSocket.WriteCallback callback = mock(FrameSocket.WriteCallback.class);

    @Test
    void writeIsNonBlockingAndCompletesThroughTheCallback() {
        when(socket.write(any(BlockingMode.class), eq(10_000L), eq(TimeUnit.MILLISECONDS), any(), any(), any(),
                any(ByteBuffer[].class))).thenAnswer(call -> {
                    CompletionHandler<Long, Object> handler = call.getArgument(5);
                    handler.completed(4L, call.getArgument(3));
                    return CompletionState.INLINE;
                });

        frameSocket.write(buffers, callback);

        verify(socket).write(eq(BlockingMode.NON_BLOCK), eq(10_000L), eq(TimeUnit.MILLISECONDS), eq(callback),
                eq(SocketWrapperBase.COMPLETE_WRITE_WITH_COMPLETION), any(), eq(buffers));
        verify(callback).written();
        assertThat(handedOver).isEmpty();
    }

    @Test
    void writeThatFindsTheSocketBusyWaitsOnTheBlockingExecutor() {
        when(socket.write(eq(BlockingMode.NON_BLOCK), any(Long.class), any(), any(), any(), any(),
                any(ByteBuffer[].class))).thenReturn(CompletionState.NOT_DONE);

        frameSocket.write(buffers, callback);

        assertThat(handedOver).hasSize(1);
        handedOver.get(0).run();
        verify(socket).write(eq(BlockingMode.SEMI_BLOCK), eq(10_000L), eq(TimeUnit.MILLISECONDS), eq(callback),
                eq(SocketWrapperBase.COMPLETE_WRITE_WITH_COMPLETION), any(), eq(buffers));
    }

    @Test
    void failureReachesTheCallback() {
        java.io.IOException reset = new java.io.IOException("reset");
        when(socket.write(any(BlockingMode.class), any(Long.class), any(), any(), any(), any(),
                any(ByteBuffer[].class))).thenAnswer(call -> {
                    CompletionHandler<Long, Object> handler = call.getArgument(5);
                    handler.failed(reset, call.getArgument(3));
                    return CompletionState.ERROR;
                });

        frameSocket.write(buffers, callback);

        verify(callback).failed(reset);
        assertThat(handedOver).isEmpty();
    }

    @Test
    void aSessionOfAnotherContainerIsRefusedByName() {
        Session other = mock(Session.class);
        assertThatThrownBy(() -> TomcatFrameSocket.of(other, 1_000, Runnable::run))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Tomcat's WebSocket socket");
    }
}
