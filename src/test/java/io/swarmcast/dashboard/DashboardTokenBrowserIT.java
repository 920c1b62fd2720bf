package io.swarmcast.dashboard;

import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpRequest;
import java.time.Duration;

import static io.swarmcast.dashboard.DashboardPage.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in dashboard on a server with tokens, in real headless Chromium: opened as {@code /?token=<viewer>}
 * it passes the token to its WebSocket (as the subprotocol {@code bearer.<token>}, which the server must echo for
 * the browser to accept the handshake), connects and shows what a producer posts, under the page's
 * Content-Security-Policy without a single console error; opened without the token it never connects.
 * Skipped (as an assumption) where Chromium and chromedriver are not installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "swarmcast.auth.viewer-tokens=" + DashboardTokenBrowserIT.VIEWER,
        "swarmcast.auth.producer-tokens=" + DashboardTokenBrowserIT.PRODUCER})
class DashboardTokenBrowserIT extends BrowserTest {

    static final String VIEWER = "dashboard-viewer-token-123";
    static final String PRODUCER = "dashboard-producer-token-456";

    @LocalServerPort
    int port;

    @Test
    void withTheViewerTokenInItsUrlThePageConnectsAndShowsWhatAProducerPosts() {
        DashboardPage page = new DashboardPage(browser, port).open("/?token=" + VIEWER).awaitConnected();
        until(() -> Integer.parseInt(page.text("#metric-clients-value")) >= 1);

        String agentId = Rest.unique("token-agent");
        int status = Http.exchange(Http.request(port, "/api/events")
                .header("Authorization", "Bearer " + PRODUCER).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"type\":\"agent:status\",\"agentId\":\"" + agentId + "\",\"status\":\"busy\"}"))
                .build()).statusCode();
        assertThat(status).isEqualTo(202);

        page.show("agents");
        until(() -> page.agentCard(agentId).isDisplayed());
        assertThat(page.agentCard(agentId).getAttribute("data-status")).isEqualTo("busy");
        page.show("overview"); // the status bars and the chart legend are drawn with styles the CSP must allow
        // The footer's version comes from GET /api/metrics/history, which needs the token too (a header from api.js).
        until(() -> !page.text("#server-version").equals("–"));
        assertThat(browser.consoleErrors()).as("no CSP violation, no failed load").isEmpty();
    }

    @Test
    void withoutTheTokenThePageNeverConnects() {
        DashboardPage page = new DashboardPage(browser, port).open("/");
        // It keeps trying (with backoff: the second attempt comes about a second after the first fails) and never
        // gets further: every handshake is refused with 401, so no socket ever opens.
        until(Duration.ofSeconds(30), () -> "reconnecting".equals(page.connectionState())
                && Integer.parseInt(page.find("#connection-status").getAttribute("data-attempt")) >= 2);
        assertThat(page.connectionState()).isNotEqualTo("connected");
        assertThat(page.opens()).isZero();
    }
}
