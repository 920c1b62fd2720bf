package io.swarmcast.dashboard;

import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.UUID;

import static io.swarmcast.dashboard.DashboardPage.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in dashboard's trace filter (docs/dashboard.md, "Traces") in headless Chromium: a card or row whose
 * event carried a {@code traceId} has a "trace" action; it filters the agents, tasks, messages and memory views to
 * that trace, the bar under the header names it with the count of its events in the server's history, and
 * "Show everything" brings every view back. Events of other traces and events without one are hidden meanwhile.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardTraceBrowserIT extends BrowserTest {

    @LocalServerPort
    int port;

    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private DashboardPage page;

    @BeforeEach
    void openDashboard() {
        page = new DashboardPage(browser, port).open().awaitConnected();
    }

    @AfterEach
    void browserConsoleHasNoErrors() {
        if (browser != null) {
            assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
        }
    }

    private static ObjectNode event(String type) {
        return TestClient.JSON.createObjectNode().put("type", type);
    }

    private void post(ArrayNode events) {
        Http.Response response = Http.post(port, "/api/events", events.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(202);
    }

    @Test
    void theTraceActionFiltersEveryViewToTheTraceAndShowEverythingBringsThemBack() {
        String trace = "task-17-" + run;
        String coder = "coder-" + run;
        String other = "other-" + run;
        String tracedTask = "task-17-" + run;
        String otherTask = "other-task-" + run;
        String tracedMessage = "msg-" + run;
        String otherMessage = "chat-" + run;
        ArrayNode events = TestClient.JSON.createArrayNode();
        events.add(event("agent:status").put("agentId", other).put("name", "Other-" + run).put("status", "idle"));
        events.add(event("task:update").put("taskId", otherTask).put("status", "pending").put("description", "unrelated " + run));
        events.add(event("message:sent").put("messageId", otherMessage).put("source", other).put("target", "*")
                .put("messageType", "broadcast").put("payload", "nothing to do with it"));
        events.add(event("memory:operation").put("operation", "store").put("namespace", "ns-" + run).put("key", "other")
                .put("agentId", other));
        // The trace: a message starts it, the task and the agent's work follow from it.
        events.add(event("message:sent").put("messageId", tracedMessage).put("source", "lead-" + run).put("target", coder)
                .put("messageType", "task").put("payload", "please fix it").put("traceId", trace));
        events.add(event("agent:status").put("agentId", coder).put("name", "Coder-" + run).put("status", "busy")
                .put("traceId", trace).put("parentId", tracedMessage));
        events.add(event("task:update").put("taskId", tracedTask).put("status", "running").put("agentId", coder)
                .put("description", "fix it " + run).put("traceId", trace).put("parentId", tracedMessage));
        events.add(event("memory:operation").put("operation", "store").put("namespace", "ns-" + run).put("key", "fix")
                .put("agentId", coder).put("traceId", trace).put("parentId", tracedTask));
        post(events);

        page.show("tasks");
        until(() -> page.count(".task-card[data-task-id='" + tracedTask + "'] [data-testid='trace-action']") == 1
                && page.count(".task-card[data-task-id='" + otherTask + "']") == 1);
        assertThat(page.count(".task-card[data-task-id='" + otherTask + "'] [data-testid='trace-action']"))
                .as("no trace, no action").isZero();
        assertThat(page.find("#trace-bar").isDisplayed()).isFalse();

        page.find(".task-card[data-task-id='" + tracedTask + "'] [data-testid='trace-action']").click();
        until(() -> page.find("#trace-bar").isDisplayed() && page.text("#trace-bar-id").equals(trace));
        // The server's history of the trace: the four posted events and the ones they caused (the coder's status).
        until(() -> page.text("#trace-bar-note").matches("\\d+ events in the server's history"));
        assertThat(Integer.parseInt(page.text("#trace-bar-note").split(" ")[0])).isGreaterThanOrEqualTo(4);
        until(() -> page.count(".task-card[data-task-id='" + otherTask + "']") == 0);
        assertThat(page.count(".task-card[data-task-id='" + tracedTask + "']")).isEqualTo(1);
        browser.screenshot("trace-tasks");

        page.show("agents");
        until(() -> page.count(".agent-card[data-agent-id='" + coder + "']") == 1
                && page.count(".agent-card[data-agent-id='" + other + "']") == 0);
        page.show("messages");
        until(() -> page.count("tr.message-row[data-message-id='" + tracedMessage + "']") == 1
                && page.count("tr.message-row[data-message-id='" + otherMessage + "']") == 0);
        // The row's own trace action is not a click on the row: it does not expand the payload.
        page.find("tr.message-row[data-message-id='" + tracedMessage + "'] [data-testid='trace-action']").click();
        assertThat(page.count("tr.payload-row[data-message-id='" + tracedMessage + "']")).isZero();
        page.show("memory");
        until(() -> page.count("#memory-rows tr[data-namespace='ns-" + run + "']") == 1);
        assertThat(page.text("#memory-rows tr[data-namespace='ns-" + run + "']")).contains("fix");

        // The way back: every view shows everything again.
        page.find("[data-testid='trace-clear']").click();
        until(() -> !page.find("#trace-bar").isDisplayed());
        until(() -> page.count("#memory-rows tr[data-namespace='ns-" + run + "']") == 2);
        page.show("tasks");
        until(() -> page.count(".task-card[data-task-id='" + otherTask + "']") == 1
                && page.count(".task-card[data-task-id='" + tracedTask + "']") == 1);
        page.show("agents");
        until(() -> page.count(".agent-card[data-agent-id='" + other + "']") == 1);

        // An agent card is a button, so its trace action is in the agent's side panel; it filters the same way.
        page.agentCard(coder).click();
        until(() -> page.count("#agent-detail-trace [data-testid='trace-action']") == 1);
        page.find("#agent-detail-trace [data-testid='trace-action']").click();
        until(() -> page.find("#trace-bar").isDisplayed() && page.count(".agent-card[data-agent-id='" + other + "']") == 0);
        page.find("[data-testid='trace-clear']").click();
        until(() -> !page.find("#trace-bar").isDisplayed() && page.count(".agent-card[data-agent-id='" + other + "']") == 1);
    }
}
