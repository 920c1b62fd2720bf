package io.swarmcast.support;

import io.swarmcast.server.EventServer;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Before each test, waits until no WebSocket client of an earlier test is still connected to the shared server
 * (Spring caches the application context across test classes): a test about connection limits, slow consumers or
 * memory bounds must not count the clients another test is still closing. Use with
 * {@code @ExtendWith(NoClientLeft.class)} on a {@code @SpringBootTest} class.
 */
public final class NoClientLeft implements BeforeEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        EventServer server = SpringExtension.getApplicationContext(context).getBean(EventServer.class);
        await("no client left from earlier tests").atMost(Duration.ofSeconds(30))
                .until(() -> server.getConnectedClients() == 0);
    }
}
