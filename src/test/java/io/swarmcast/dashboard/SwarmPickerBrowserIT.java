package io.swarmcast.dashboard;

import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.swarmcast.dashboard.DashboardPage.until;
import static io.swarmcast.support.Rest.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in dashboard's swarm picker in real headless Chromium (docs/dashboard.md): hidden while the server holds
 * only the default swarm, shown once another swarm exists; picking a swarm shows that swarm's agents and topology
 * only, live, and picking the default swarm again shows the default one's. Shares the default test context (the
 * swarms it makes are invisible to clients that name none). Skipped where Chromium and chromedriver are not installed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SwarmPickerBrowserIT extends BrowserTest {

    @LocalServerPort
    int port;

    private final String run = UUID.randomUUID().toString().substring(0, 6);

    @AfterEach
    void browserConsoleHasNoErrors() {
        if (browser != null) {
            assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
        }
    }

    @Test
    void pickingASwarmShowsThatSwarmOnlyAndPickingTheDefaultOneShowsItAgain() {
        DashboardPage page = new DashboardPage(browser, port).open().awaitConnected();
        if (Http.get(port, "/api/swarms").json().path("swarms").size() == 1) {
            until(() -> page.find("#swarm-picker-box").getAttribute("hidden") != null);
            assertThat(page.find("#swarm-picker-box").isDisplayed()).as("one swarm: no picker").isFalse();
        }

        String swarmId = "picker-" + run;
        JsonNode swarm = Rest.expect(Rest.post(port, "/api/swarm/init",
                object("topology", "mesh", "size", 3, "swarmId", swarmId)), 201).json();
        List<String> members = new ArrayList<>();
        swarm.path("nodes").forEach(node -> members.add(node.path("id").asString()));
        String defaultAgent = Rest.spawnAgent(port, Rest.unique("default-" + run), "Default-" + run, "coder");

        page.show("agents");
        until(() -> page.agentCard(defaultAgent).isDisplayed());
        // The list is fetched again every few seconds: the new swarm appears without a reload.
        until(() -> page.find("#swarm-picker").isDisplayed()
                && page.texts("#swarm-picker option").stream().anyMatch(text -> text.startsWith(swarmId)));
        new Select(page.find("#swarm-picker")).selectByValue(swarmId);

        page.awaitConnected();
        until(() -> page.findAll(".agent-card").size() == members.size()
                && members.stream().allMatch(id -> page.agentCard(id).isDisplayed()));
        assertThat(page.findAll(".agent-card[data-agent-id='" + defaultAgent + "']")).isEmpty();
        assertThat((String) page.script("return location.search")).contains("swarm=" + swarmId);
        // The server keeps the state at a point for the default swarm only: this page's timeline stays live, disabled.
        until(() -> "false".equals(page.find("#timeline").getAttribute("data-available")));
        assertThat(page.find("#timeline-range").isEnabled()).isFalse();
        assertThat(page.find("#timeline").getAttribute("data-mode")).isEqualTo("live");
        page.show("topology");
        until(() -> page.text("#topology-kind").contains("mesh"));

        // Live: an event of the shown swarm appears, one of the default swarm does not.
        String lateInSwarm = Rest.unique("late-" + run);
        Rest.expect(Http.postJson(port, "/api/events", object("type", "agent:status", "agentId", lateInSwarm,
                "status", "busy", "swarmId", swarmId)), 202);
        String lateInDefault = Rest.spawnAgent(port, Rest.unique("late-default-" + run), "Late", "tester");
        page.show("agents");
        until(() -> page.agentCard(lateInSwarm).isDisplayed());
        assertThat(page.agentCard(lateInSwarm).getAttribute("data-status")).isEqualTo("busy");
        assertThat(page.findAll(".agent-card[data-agent-id='" + lateInDefault + "']")).isEmpty();
        browser.screenshot("swarm-picker-" + swarmId.replace("picker-", "second"));

        new Select(page.find("#swarm-picker")).selectByValue("default");
        page.awaitConnected();
        until(() -> page.agentCard(defaultAgent).isDisplayed() && page.agentCard(lateInDefault).isDisplayed());
        assertThat(page.findAll(".agent-card[data-agent-id='" + members.get(0) + "']")).isEmpty();
        assertThat((String) page.script("return location.search")).doesNotContain("swarm=");
        until(() -> "true".equals(page.find("#timeline").getAttribute("data-available")));
    }

    @Test
    void aSwarmNamedInTheAddressIsShownFromTheStart() {
        String swarmId = "address-" + run;
        String agent = Rest.unique("addressed");
        Rest.expect(Http.postJson(port, "/api/events", object("type", "agent:status", "agentId", agent,
                "status", "active", "swarmId", swarmId)), 202);
        DashboardPage page = new DashboardPage(browser, port).open("/?swarm=" + swarmId + "#agents").awaitConnected();
        until(() -> page.agentCard(agent).isDisplayed());
        assertThat(page.findAll(".agent-card")).hasSize(1);
        assertThat(new Select(page.find("#swarm-picker")).getFirstSelectedOption().getAttribute("value")).isEqualTo(swarmId);
    }
}
