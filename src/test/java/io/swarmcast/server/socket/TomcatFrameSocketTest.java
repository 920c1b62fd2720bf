package io.swarmcast.server.socket;

import io.swarmcast.server.FrameSocket;
import io.swarmcast.server.WireFrameFixtures;
import io.swarmcast.server.WireFrame;
import jakarta.websocket.Session;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.apache.tomcat.util.net.SocketWrapperBase.BlockingMode;
import org.apache.tomcat.util.net.SocketWrapperBase.CompletionState;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.nio.channels.CompletionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The branches of the socket write that a real connection takes only by chance (SharedSocketIT and
 * CloseHandshakeIT drive the real thing): a write that finds Tomcat holding the connection waits on no thread,
 * neither the caller's nor the blocking-write executor's, but tries again later, and fails as a slow consumer at
 * the send-time limit; and nothing is written once Tomcat has written its close frame.
 */
class TomcatFrameSocketTest {

    private final SocketWrapperBase<?> socket = mock(SocketWrapperBase.class);
    private final Semaphore messageLock = new Semaphore(1);
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final List<Runnable> handedOver = new CopyOnWriteArrayList<>();
    private final TomcatFrameSocket frameSocket = new TomcatFrameSocket(socket, messageLock, closeSent::get, 10_000,
            handedOver::add);
    private final WireFrame[] frames = {WireFrameFixtures.text("{}")};
    private final FrameSocket.WriteCallback callback = mock(FrameSocket.WriteCallback.class);

    @Test
    void writeIsNonBlockingHoldsTomcatsLockAndCompletesThroughTheCallback() {
        List<Integer> permitsDuringWrite = new ArrayList<>();
        when(socket.write(any(BlockingMode.class), eq(10_000L), eq(TimeUnit.MILLISECONDS), any(), any(), any(),
                any(ByteBuffer[].class))).thenAnswer(call -> {
                    permitsDuringWrite.add(messageLock.availablePermits());
                    CompletionHandler<Long, Object> handler = call.getArgument(5);
                    handler.completed(4L, call.getArgument(3));
                    return CompletionState.INLINE;
                });

        frameSocket.write(frames, callback);

        verify(socket).write(eq(BlockingMode.NON_BLOCK), eq(10_000L), eq(TimeUnit.MILLISECONDS), eq(callback),
                eq(SocketWrapperBase.COMPLETE_WRITE_WITH_COMPLETION), any(), any(ByteBuffer[].class));
        verify(callback).written();
        assertThat(permitsDuringWrite).as("written under Tomcat's message lock").containsExactly(0);
        assertThat(messageLock.availablePermits()).as("released on completion").isEqualTo(1);
        assertThat(handedOver).isEmpty();
    }

    @Test
    void writeThatFindsTheSocketBusyWaitsOnTheBlockingExecutor() {
        when(socket.write(eq(BlockingMode.NON_BLOCK), any(Long.class), any(), any(), any(), any(),
                any(ByteBuffer[].class))).thenReturn(CompletionState.NOT_DONE);

        frameSocket.write(frames, callback);

        assertThat(handedOver).hasSize(1);
        handedOver.get(0).run();
        verify(socket).write(eq(BlockingMode.SEMI_BLOCK), eq(10_000L), eq(TimeUnit.MILLISECONDS), eq(callback),
                eq(SocketWrapperBase.COMPLETE_WRITE_WITH_COMPLETION), any(), any(ByteBuffer[].class));
    }

    @Test
    void writeThatFindsTomcatWritingTriesAgainLaterWithoutWaitingOnAnyThread() throws InterruptedException {
        messageLock.acquire();

        frameSocket.write(frames, callback);

        verify(socket, never()).write(any(BlockingMode.class), any(Long.class), any(), any(), any(), any(),
                any(ByteBuffer[].class));
        // A try while Tomcat still holds the lock returns at once (it used to wait for the lock, up to the send-time
        // limit, holding a thread of the bounded executor that other clients' writes queue for) and schedules another.
        await().atMost(Duration.ofSeconds(5)).until(() -> handedOver.size() == 1);
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> handedOver.get(0).run());
        verify(socket, never()).write(any(BlockingMode.class), any(Long.class), any(), any(), any(), any(),
                any(ByteBuffer[].class));
        messageLock.release();
        await().atMost(Duration.ofSeconds(5)).until(() -> handedOver.size() == 2);
        handedOver.get(1).run();
        verify(socket).write(eq(BlockingMode.NON_BLOCK), eq(10_000L), eq(TimeUnit.MILLISECONDS), eq(callback),
                eq(SocketWrapperBase.COMPLETE_WRITE_WITH_COMPLETION), any(), any(ByteBuffer[].class));
        verify(callback, never()).failed(any());
    }

    @Test
    void writeThatNeverGetsTomcatsLockFailsAtTheSendTimeLimitAsASlowConsumer() throws InterruptedException {
        TomcatFrameSocket shortLimit = new TomcatFrameSocket(socket, messageLock, closeSent::get, 30, handedOver::add);
        messageLock.acquire();

        shortLimit.write(frames, callback);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (int i = 0; i < handedOver.size(); i++) {
                Runnable next = handedOver.set(i, () -> { });
                next.run();
            }
            verify(callback).failed(any(SocketTimeoutException.class));
        });
        verify(socket, never()).write(any(BlockingMode.class), any(Long.class), any(), any(), any(), any(),
                any(ByteBuffer[].class));
        assertThat(messageLock.availablePermits()).as("Tomcat's lock untouched").isZero();
    }

    @Test
    void nothingIsWrittenAfterTomcatsCloseFrame() {
        closeSent.set(true);

        frameSocket.write(frames, callback);

        verify(socket, never()).write(any(BlockingMode.class), any(Long.class), any(), any(), any(), any(),
                any(ByteBuffer[].class));
        verify(callback).failed(any(FrameSocket.ClosingException.class));
        assertThat(messageLock.availablePermits()).isEqualTo(1);
    }

    @Test
    void failureReachesTheCallbackAndReleasesTheLock() {
        java.io.IOException reset = new java.io.IOException("reset");
        when(socket.write(any(BlockingMode.class), any(Long.class), any(), any(), any(), any(),
                any(ByteBuffer[].class))).thenAnswer(call -> {
                    CompletionHandler<Long, Object> handler = call.getArgument(5);
                    handler.failed(reset, call.getArgument(3));
                    return CompletionState.ERROR;
                });

        frameSocket.write(frames, callback);

        verify(callback).failed(reset);
        assertThat(messageLock.availablePermits()).isEqualTo(1);
        assertThat(handedOver).isEmpty();
    }

    @Test
    void theInternalsOfThisTomcatAreFoundAtStartup() {
        TomcatInternals internals = TomcatInternals.load();

        assertThat(internals).isNotNull();
    }

    @Test
    void aSessionOfAnotherContainerIsRefusedByName() {
        Session other = mock(Session.class);
        assertThatThrownBy(() -> TomcatInternals.load().socketOf(other, 1_000, Runnable::run))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Tomcat WebSocket session");
    }
}
