package io.swarmcast.server;

import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One server with small admission settings, shared by the tests of the per-address share, the handshake rate,
 * unsubscribed connections and slow requests: 3 connections per address; 5 handshakes a second with a burst of
 * 8; 2 s without a subscription; 2 s for a request header. Tests using it must leave no client connected.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "swarmcast.connections.max-per-address=3",
        "swarmcast.connections.attempts-per-second-per-address=5",
        "swarmcast.connections.attempt-burst-per-address=8",
        "swarmcast.connections.unsubscribed-timeout=2s",
        "swarmcast.connections.request-header-timeout=2s",
        "swarmcast.heartbeat-interval=120s"})
@interface AdmissionServerTest {

    int MAX_PER_ADDRESS = 3;
    long UNSUBSCRIBED_TIMEOUT_MILLIS = 2000;
    long REQUEST_HEADER_TIMEOUT_MILLIS = 2000;
}
