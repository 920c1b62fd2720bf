package io.swarmcast.dashboard;

import io.swarmcast.support.FreePorts;
import io.swarmcast.SwarmcastApplication;
import io.swarmcast.server.EventServer;
import io.swarmcast.server.ServerSideDrop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.swarmcast.dashboard.DashboardPage.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard across lost connections, in real headless Chromium. The server is started here, on a fixed
 * port, rather than by {@code @SpringBootTest}, so that it can be stopped and started again on the same port
 * while the page stays open. Skipped (as an assumption) where Chromium and chromedriver are not installed.
 */
class DashboardReconnectBrowserIT {

    /** Server start-up on a busy two-core machine, plus the page's backoff (up to 30 s) after it. */
    private static final Duration RECONNECT = Duration.ofSeconds(120);

    private static Browser browser;
    private static int port;
    private static ConfigurableApplicationContext server;

    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private SwarmApi api;
    private DashboardPage page;

    @BeforeAll
    static void startServerAndBrowser() {
        if (!Browser.installed()) {
            return; // each test is skipped in openDashboard
        }
        port = FreePorts.one();
        server = startServer(port);
        browser = Browser.start();
    }

    @AfterAll
    static void stopServerAndBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void openDashboard() {
        Browser.assumeInstalled();
        api = new SwarmApi(port);
        browser.forgetConsole();
        page = new DashboardPage(browser, port).open().awaitConnected();
    }

    @Test
    void serverRestartShowsReconnectingThenConnectedAndLaterEventsAppear() {
        String before = "old-" + run;
        api.spawn(before, "Before-" + run, "coder");
        page.show("agents");
        until(() -> page.count(".agent-card[data-agent-id='" + before + "']") == 1);
        String oldEpoch = page.find("#connection-status").getAttribute("data-epoch");

        until(() -> page.textContent("#metric-clients-value").matches("\\d+"));
        server.close();
        until(() -> "reconnecting".equals(page.connectionState()) && page.connectionText().matches("Reconnecting \\(attempt \\d+\\)"));
        assertThat(page.css(page.find("#connection-status .connection-dot"), "background-color")).isEqualTo("rgba(245, 158, 11, 1)");
        // While disconnected everything shown is marked stale: a banner says since when, the views are dimmed,
        // and the page no longer claims to be a connected client.
        until(() -> page.find("#stale-banner").isDisplayed());
        assertThat(page.text("#stale-banner")).matches("⚠?\\s*Disconnected — showing data as of \\d\\d:\\d\\d:\\d\\d");
        assertThat(page.find("#main").getAttribute("class")).contains("stale");
        assertThat(Double.parseDouble(page.css(page.find("#main"), "opacity"))).isLessThan(0.8);
        // (Hidden views draw when shown.)
        page.show("overview");
        until(() -> page.text("#metric-clients-value").equals("–"));
        browser.screenshot("stale");
        page.show("agents");

        server = startServer(port);
        until(RECONNECT, () -> "connected".equals(page.connectionState()) && "Connected".equals(page.connectionText()));
        // A restarted in-memory log has a new epoch: the page could not resume, so it rebuilt from the new
        // server's snapshot, and agents the new server never had are gone.
        assertThat(page.find("#connection-status").getAttribute("data-epoch")).isNotEqualTo(oldEpoch);
        assertThat(page.find("#connection-status").getAttribute("data-recovered")).isEqualTo("false");
        until(() -> page.count(".agent-card[data-agent-id='" + before + "']") == 0);
        // Live again: no banner, nothing dimmed, the footer names the new epoch.
        until(() -> !page.find("#stale-banner").isDisplayed() && !page.find("#main").getAttribute("class").contains("stale"));
        assertThat(page.text("#server-epoch")).isEqualTo(server.getBean(EventServer.class).epoch());
        page.show("overview");
        until(() -> page.text("#metric-clients-value").matches("\\d+"));
        page.show("agents");

        Map<String, String> members = new LinkedHashMap<>();
        members.put("Reborn-" + run, "coordinator");
        members.put("Worker-" + run, "coder");
        api.initSwarm("hierarchical", members);
        String task = "t-" + run + "-after";
        api.createTask(task, "After the restart " + run);
        until(() -> page.findAll(".agent-card .agent-name").stream().map(e -> e.getText()).toList()
                .containsAll(members.keySet()));
        page.show("tasks");
        until(() -> page.count("[data-testid='column-pending'] [data-task-id='" + task + "']") == 1);
        page.show("topology");
        until(() -> page.count("svg g[data-node-id]") == members.size() && page.count("svg line[data-health]") == 1);

        // The only errors allowed are the browser's own reports of the refused connections while the server was down.
        assertThat(browser.consoleErrors()).allMatch(message -> message.contains("WebSocket connection to"));
    }

    @Test
    void eventsPublishedDuringAShortServerSideDisconnectAreNotLost() {
        String sender = "s-" + run;
        String receiver = "r-" + run;
        api.spawn(sender, "Sender-" + run, "coder");
        api.spawn(receiver, "Receiver-" + run, "tester");
        page.show("messages");
        api.message(sender, receiver, "query", "before the drop " + run);
        until(() -> page.count("tr[data-source='" + sender + "']") == 1);
        int opens = page.opens();

        int dropped = ServerSideDrop.dropAllClients(server.getBean(EventServer.class));
        assertThat(dropped).isPositive();
        List<Map<String, Object>> events = new ArrayList<>();
        List<String> messageIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = "gap-" + run + "-" + i;
            messageIds.add(id);
            events.add(Map.of("type", "message:sent", "messageId", id, "source", sender, "target", receiver,
                    "messageType", "task", "payload", Map.of("n", i)));
        }
        events.add(Map.of("type", "memory:operation", "operation", "store", "namespace", "gap-" + run, "key", "k1",
                "value", 1, "latency", 0.4, "agentId", sender));
        events.add(Map.of("type", "memory:operation", "operation", "retrieve", "namespace", "gap-" + run, "key", "k1",
                "cacheHit", true, "latency", 0.1, "agentId", receiver));
        events.add(Map.of("type", "agent:status", "agentId", sender, "name", "Sender-" + run, "agentType", "coder",
                "status", "busy"));
        assertThat(api.ingest(events)).hasSize(events.size());
        // Published while the page was between connections: the old socket was closed before, no new one yet.
        assertThat(page.opens()).as("the page must not have reconnected before the events were published").isEqualTo(opens);

        until(RECONNECT, () -> page.opens() > opens && "connected".equals(page.connectionState()));
        assertThat(page.find("#connection-status").getAttribute("data-recovered")).isEqualTo("true");
        for (String id : messageIds) {
            until(() -> page.count("tr[data-message-id='" + id + "']") == 1);
        }
        assertThat(page.count("tr[data-source='" + sender + "']")).isEqualTo(1 + messageIds.size());
        page.show("memory");
        until(() -> page.count("tr[data-namespace='gap-" + run + "']") == 2);
        page.show("agents");
        until(() -> page.agentCard(sender).getAttribute("data-status").equals("busy"));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    private static ConfigurableApplicationContext startServer(int port) {
        // Command-line arguments, so they win over the port the application derives from swarmcast.port.
        return new SpringApplicationBuilder(SwarmcastApplication.class)
                .run("--server.port=" + port, "--swarmcast.compat-enabled=false", "--spring.jmx.enabled=false");
    }
}
