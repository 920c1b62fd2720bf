package io.swarmcast.bench;

import io.swarmcast.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark source is off unless asked for: no bean, and {@code /bench/emit} does not exist. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BenchDisabledByDefaultIT {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void inProcessLoadIsAbsentByDefault() {
        assertThat(context.getBeanNamesForType(InProcessLoad.class)).isEmpty();
        assertThat(context.getBeanNamesForType(BenchController.class)).isEmpty();
        Http.Response response = Http.post(port, "/bench/emit?rate=100&seconds=1", "");
        assertThat(response.status()).isEqualTo(404);
    }
}
