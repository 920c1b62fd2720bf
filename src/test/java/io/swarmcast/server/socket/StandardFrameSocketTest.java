package io.swarmcast.server.socket;

import io.swarmcast.server.FrameSocket;
import io.swarmcast.server.WireFrame;
import io.swarmcast.server.WireFrameFixtures;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * The standard path on a fake asynchronous endpoint: the frames of one write go out as text, one send at a
 * time and in order, whether the container completes a send inside the call or later; the ping is sent from
 * the blocking executor; the callback is called exactly once, on success or on the first failure.
 */
class StandardFrameSocketTest {

    private final RemoteEndpoint.Async remote = mock(RemoteEndpoint.Async.class);
    private final Session session = mock(Session.class);
    private final List<String> sent = new ArrayList<>();
    private final List<SendHandler> pending = new ArrayList<>();
    private final List<Runnable> handedOver = new ArrayList<>();
    private final List<String> outcomes = new ArrayList<>();
    private final FrameSocket.WriteCallback callback = new FrameSocket.WriteCallback() {
        @Override
        public void written() {
            outcomes.add("written");
        }

        @Override
        public void failed(Throwable cause) {
            outcomes.add("failed: " + cause.getClass().getSimpleName());
        }
    };
    private FrameSocket socket;

    private void open(boolean completeInCall) {
        doAnswer(call -> {
            if (!pending.isEmpty()) {
                throw new IllegalStateException("a send is already in flight");
            }
            sent.add(call.getArgument(0));
            SendHandler handler = call.getArgument(1);
            if (completeInCall) {
                handler.onResult(new SendResult(session));
            } else {
                pending.add(handler);
            }
            return null;
        }).when(remote).sendText(anyString(), any(SendHandler.class));
        when(session.getAsyncRemote()).thenReturn(remote);
        socket = new StandardFrameSockets(5_000).open(session, handedOver::add);
    }

    @Test
    void framesCompletedInsideTheCallGoOutInOrderAndCompleteOnTheCallersThread() {
        open(true);

        socket.write(frames("a", "b", "c"), callback);

        assertThat(sent).containsExactly("a", "b", "c");
        assertThat(outcomes).containsExactly("written");
        verify(remote).setSendTimeout(5_000);
    }

    @Test
    void framesCompletedLaterAreSentOneAtATime() {
        open(false);

        socket.write(frames("a", "b"), callback);
        assertThat(sent).containsExactly("a");
        completeNext();
        assertThat(sent).containsExactly("a", "b");
        assertThat(outcomes).isEmpty();
        completeNext();

        assertThat(outcomes).containsExactly("written");
    }

    @Test
    void thePingIsSentFromTheBlockingExecutorBetweenTheFrames() throws IOException {
        open(true);

        socket.write(new WireFrame[] {WireFrameFixtures.text("a"), WireFrameFixtures.ping(),
                WireFrameFixtures.text("b")}, callback);
        assertThat(sent).containsExactly("a");
        verify(remote, never()).sendPing(any());
        assertThat(handedOver).hasSize(1);
        handedOver.get(0).run();

        verify(remote).sendPing(any(ByteBuffer.class));
        assertThat(sent).containsExactly("a", "b");
        assertThat(outcomes).containsExactly("written");
    }

    @Test
    void aFailedSendEndsTheWriteOnce() {
        open(false);

        socket.write(frames("a", "b"), callback);
        pending.remove(0).onResult(new SendResult(session, new SocketTimeoutException()));

        assertThat(sent).containsExactly("a");
        assertThat(outcomes).containsExactly("failed: SocketTimeoutException");
    }

    @Test
    void aSendRefusedByTheContainerFailsTheWrite() {
        when(session.getAsyncRemote()).thenReturn(remote);
        doThrow(new IllegalStateException("closed")).when(remote).sendText(anyString(), any(SendHandler.class));
        socket = new StandardFrameSockets(5_000).open(session, handedOver::add);

        socket.write(frames("a", "b"), callback);

        verify(remote, times(1)).sendText(anyString(), any(SendHandler.class));
        assertThat(outcomes).containsExactly("failed: IllegalStateException");
    }

    private void completeNext() {
        pending.remove(0).onResult(new SendResult(session));
    }

    private static WireFrame[] frames(String... texts) {
        WireFrame[] frames = new WireFrame[texts.length];
        for (int i = 0; i < texts.length; i++) {
            frames[i] = WireFrameFixtures.text(texts[i]);
        }
        return frames;
    }

    private static <T> org.mockito.stubbing.OngoingStubbing<T> when(T call) {
        return org.mockito.Mockito.when(call);
    }
}
