package io.swarmcast.server;

import io.swarmcast.event.MessageSentEvent;
import io.swarmcast.event.MessageType;
import io.swarmcast.support.Http;
import io.swarmcast.support.NoClientLeft;
import io.swarmcast.support.TestClient;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The server-wide bound on WebSocket handshakes processed at once ({@link HandshakeGate}), here one at a time, one
 * more allowed to wait, for at most a second. A test filter behind the gate holds a handshake that asks for it
 * (header {@code X-Test-Hold}) until the test lets it go, so the slot is taken for exactly as long as the test says.
 * A reading client subscribed throughout gets every event, in order, while handshakes wait and are refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "swarmcast.connections.handshake-concurrency=1",
        "swarmcast.connections.handshake-queue=1",
        "swarmcast.connections.handshake-wait=1s"})
@ExtendWith(NoClientLeft.class)
class HandshakeGateIT {

    private static final String HOLD_HEADER = "X-Test-Hold";
    private static final CountDownLatch holding = new CountDownLatch(1);
    private static final CountDownLatch release = new CountDownLatch(1);

    @LocalServerPort
    int port;

    @Autowired
    EventServer server;

    @Autowired
    HandshakeGate gate;

    @Test
    void handshakesBeyondTheSlotsWaitInTurnAndBeyondTheQueueOrTheWaitGet503WhileReadersAndPlainRequestsGoOn()
            throws Exception {
        URI uri = URI.create("ws://localhost:" + port + "/ws");
        List<Long> published = new ArrayList<>();
        TestClient held = null;
        TestClient later = null;
        try (TestClient reader = TestClient.connectWelcomed(port)) {
            reader.subscribe("messages");

            CompletableFuture<TestClient> holder = CompletableFuture.supplyAsync(
                    () -> TestClient.connect(uri, builder -> builder.header(HOLD_HEADER, "1")));
            assertThat(holding.await(10, TimeUnit.SECONDS)).as("the held handshake took the one slot").isTrue();

            long waiterStart = System.nanoTime();
            CompletableFuture<TestClient> waiter = CompletableFuture.supplyAsync(() -> TestClient.connect(uri));
            await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 1);

            // The queue (1) is full: the next handshake is refused at once, not after the wait.
            long start = System.nanoTime();
            assertRefusedWith503(catchThrowable(() -> TestClient.connect(uri)));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));

            // Plain HTTP never meets the gate, and delivery goes on for the reader.
            assertThat(Http.get(port, "/actuator/health").status()).isEqualTo(200);
            for (int i = 0; i < 20; i++) {
                published.add(server.broadcast(message(i)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> seqs(reader).size() >= published.size());
            assertThat(seqs(reader)).as("every event, in order, exactly once").isEqualTo(published);

            // The waiter's second passes with the slot still held: it is refused too.
            assertRefusedWith503(catchThrowable(waiter::join));
            assertThat(Duration.ofNanos(System.nanoTime() - waiterStart)).isGreaterThanOrEqualTo(Duration.ofMillis(900));

            release.countDown();
            held = holder.get(10, TimeUnit.SECONDS);
            held.awaitType("welcome");
            TestClient joined = TestClient.connectWelcomed(port);
            later = joined;
            joined.subscribe("messages");

            published.add(server.broadcast(message(20)));
            await().atMost(Duration.ofSeconds(10)).until(() -> seqs(reader).size() == published.size());
            assertThat(seqs(reader)).isEqualTo(published);
            await().atMost(Duration.ofSeconds(10)).until(() -> seqs(joined).contains(published.get(20)));
        } finally {
            release.countDown();
            if (held != null) {
                held.close();
            }
            if (later != null) {
                later.close();
            }
        }
    }

    private static void assertRefusedWith503(Throwable refused) {
        assertThat(refused).isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class);
        var response = ((WebSocketHandshakeException) refused.getCause()).getResponse();
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue(HandshakeGate.RETRY_AFTER_SECONDS);
        assertThat(String.valueOf(response.body())).contains("\"code\":\"overloaded\"");
    }

    private static List<Long> seqs(TestClient client) {
        return client.events().stream().filter(frame -> "messages".equals(frame.path("channel").asString()))
                .filter(frame -> !frame.path("snapshot").asBoolean(false))
                .map(frame -> frame.path("seq").asLong()).toList();
    }

    private static MessageSentEvent message(int n) {
        return new MessageSentEvent("gate-" + n, "agent-a", "agent-b", MessageType.BROADCAST,
                TestClient.JSON.valueToTree("hello " + n), 7, System.currentTimeMillis());
    }

    /** Holds a handshake that asks for it behind the gate, so that it keeps its slot until the test releases it. */
    @TestConfiguration
    static class HoldingFilter {

        @Bean
        FilterRegistrationBean<OncePerRequestFilter> holdMarkedHandshakes() {
            FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                        throws ServletException, IOException {
                    if (request.getHeader(HOLD_HEADER) != null) {
                        holding.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    chain.doFilter(request, response);
                }
            });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 21);
            return registration;
        }
    }
}
