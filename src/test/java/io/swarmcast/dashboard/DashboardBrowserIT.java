package io.swarmcast.dashboard;

import io.swarmcast.server.EventServer;
import io.swarmcast.support.Http;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.swarmcast.dashboard.DashboardPage.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built-in dashboard in real headless Chromium against the running server: it loads and connects, shows
 * what the REST API does in every view, recolours and moves as things change, and is screenshotted view by
 * view into {@code target/screenshots/}. Every test ends by checking the browser console has no errors.
 * Skipped (as an assumption) where Chromium and chromedriver are not installed.
 */
// A context of its own: the counts on the page are compared with the whole server's, which other test
// classes sharing the default context would have filled with their agents and tasks.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "swarmcast.server-id=dashboard-it")
class DashboardBrowserIT extends BrowserTest {

    /** {@code -Dswarmcast.e2e.docsScreenshot=true} also copies the overview to {@code docs/dashboard.png} (README's picture). */
    private static final boolean UPDATE_DOCS_SCREENSHOT = Boolean.getBoolean("swarmcast.e2e.docsScreenshot");

    @LocalServerPort
    int port;

    @Autowired
    EventServer eventServer;

    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private SwarmApi api;
    private DashboardPage page;

    @BeforeEach
    void openDashboard() {
        api = new SwarmApi(port);
        page = new DashboardPage(browser, port).open().awaitConnected();
    }

    @AfterEach
    void browserConsoleHasNoErrors() {
        if (browser == null) {
            return; // skipped: no browser here
        }
        assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
    }

    @Test
    void pageLoadsFromTheServerWithoutConsoleErrorsAndShowsConnected() {
        assertThat(browser.driver().getTitle()).contains("Swarmcast");
        assertThat(page.connectionText()).isEqualTo("Connected");
        // Connected is painted green: the colour is part of what a person reads.
        assertThat(page.css(page.find("#connection-status .connection-dot"), "background-color")).isEqualTo("rgba(34, 197, 94, 1)");
        // The first metrics tick arrived over the WebSocket and was drawn: this page counts as a connected client.
        until(() -> Integer.parseInt(page.text("#metric-clients-value")) >= 1);
        assertThat(page.count(".app-nav a[data-view]")).isEqualTo(DashboardPage.VIEWS.size());
        assertThat(page.find(".app-nav a[data-view='overview']").getAttribute("aria-current")).isEqualTo("page");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void eachViewShowsWhatTheRestApiDid() {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("Queen-" + run, "coordinator");
        members.put("Coder-" + run, "coder");
        members.put("Tester-" + run, "tester");
        members.put("Researcher-" + run, "researcher");
        members.put("Reviewer-" + run, "reviewer");
        JsonNode swarm = api.initSwarm("hierarchical", members);
        Map<String, String> idByName = new LinkedHashMap<>();
        swarm.path("nodes").forEach(node -> idByName.put(node.path("name").asString(), node.path("id").asString()));
        assertThat(idByName).containsOnlyKeys(members.keySet());
        String queen = idByName.get("Queen-" + run);
        String coder = idByName.get("Coder-" + run);
        String tester = idByName.get("Tester-" + run);
        String researcher = idByName.get("Researcher-" + run);

        String running = "t-" + run + "-run";
        String done = "t-" + run + "-done";
        String waiting = "t-" + run + "-wait";
        String broken = "t-" + run + "-fail";
        api.createTask(running, "Parse the swarm config " + run);
        api.assign(running, coder);
        api.start(running);
        api.progress(running, 30);
        api.createTask(done, "Write the tests " + run);
        api.assign(done, tester);
        api.start(done);
        api.complete(done);
        api.createTask(waiting, "Review the docs " + run);
        api.createTask(broken, "Fetch the dataset " + run);
        api.assign(broken, researcher);
        api.start(broken);
        api.fail(broken, "disk full " + run);

        api.message(queen, coder, "task", Map.of("do", "parse config " + run));
        api.message(coder, queen, "response", "parsed " + run);
        api.message(queen, null, "broadcast", "status check " + run);

        String namespace = "ns-" + run;
        api.memoryStore(namespace, "plan", Map.of("steps", 3, "owner", queen), queen);
        api.memoryRetrieve(namespace, "plan", coder);
        api.memorySearch(namespace, "steps", tester);

        // Agents: one card per member, named, and the count the server reports for agents not stopped.
        page.show("agents");
        until(() -> idByName.values().stream().allMatch(id -> page.count(".agent-card[data-agent-id='" + id + "']") == 1));
        for (Map.Entry<String, String> member : idByName.entrySet()) {
            assertThat(page.agentCard(member.getValue()).findElement(By.cssSelector(".agent-name")).getText())
                    .isEqualTo(member.getKey());
        }
        until(() -> page.number("#agents-count") == liveAgents());
        assertThat(page.agentCard(coder).getText()).contains("Parse the swarm config " + run);
        // The tester finished its task: the card no longer names one.
        until(() -> page.agentCard(tester).getText().contains("No current task"));
        // Clicking a card shows its recent events.
        page.agentCard(coder).click();
        until(() -> page.text("#agent-detail").contains("Coder-" + run) && page.text("#agent-detail").contains("task " + running));

        // Tasks: each card in the column of its status, counts as the server has them, the failure's error shown.
        page.show("tasks");
        until(() -> page.count("[data-testid='column-running'] [data-task-id='" + running + "']") == 1
                && page.count("[data-testid='column-completed'] [data-task-id='" + done + "']") == 1
                && page.count("[data-testid='column-pending'] [data-task-id='" + waiting + "']") == 1
                && page.count("[data-testid='column-failed'] [data-task-id='" + broken + "']") == 1);
        for (String status : List.of("pending", "assigned", "running")) {
            until(() -> page.number("[data-testid='column-count-" + status + "']") == serverTasksWithStatus(status));
        }
        assertThat(page.taskCard(broken).getText()).contains("disk full " + run);
        assertThat(page.taskCard(running).getText()).contains("Coder-" + run);

        // Messages: newest first, route by name, payload preview.
        page.show("messages");
        until(() -> page.count("tr[data-source='" + queen + "']") == 2 && page.count("tr[data-source='" + coder + "']") == 1);
        List<WebElement> rows = page.findAll("#message-rows tr");
        assertThat(rows.get(0).getAttribute("data-type")).isEqualTo("broadcast");
        assertThat(rows.get(0).getText()).contains("Queen-" + run + " → all").containsIgnoringCase("broadcast").contains("status check " + run);
        assertThat(rows.get(1).getText()).contains("Coder-" + run + " → Queen-" + run).contains("parsed " + run);
        assertThat(rows.get(2).getText()).contains("Queen-" + run + " → Coder-" + run).contains("parse config " + run);
        // Filtering by agent keeps only that agent's messages.
        new Select(page.find("#message-agent-filter")).selectByValue(coder);
        until(() -> page.count("#message-rows tr") == 2);

        // Memory: three operations in this namespace, newest first, and the namespace filter.
        page.show("memory");
        until(() -> page.count("tr[data-namespace='" + namespace + "']") == 3);
        List<String> operations = page.findAll("tr[data-namespace='" + namespace + "']").stream()
                .map(row -> row.getAttribute("data-operation")).toList();
        assertThat(operations).containsExactly("search", "retrieve", "store");
        new Select(page.find("#memory-namespace-filter")).selectByValue(namespace);
        until(() -> page.count("#memory-rows tr") == 3);
        assertThat(page.find("tr[data-operation='retrieve'][data-namespace='" + namespace + "']").getText()).contains("plan").contains("Coder-" + run);

        // Topology: one node per agent of the swarm; a tree has one link per worker.
        page.show("topology");
        until(() -> nodeIds().equals(new HashSet<>(idByName.values())));
        until(() -> page.count("svg line[data-health]") == members.size() - 1);
        assertThat(page.findAll("svg line[data-health]")).allMatch(line -> "healthy".equals(line.getAttribute("data-health")));
        // A mesh links every pair, redrawn on topology:change.
        api.changeTopology("mesh");
        int n = members.size();
        until(() -> page.count("svg line[data-health]") == n * (n - 1) / 2 && nodeIds().size() == n);
        assertThat(page.text("#topology-kind")).startsWith("mesh");
    }

    @Test
    void statusChangesRecolourTheAgentCard() {
        String id = "agent-" + run;
        api.spawn(id, "Painter-" + run, "coder");
        page.show("agents");
        until(() -> page.agentCard(id).getAttribute("class").contains("status-active"));
        String active = page.css(page.agentCard(id), "border-left-color");
        assertThat(active).isEqualTo("rgba(34, 197, 94, 1)");

        api.setStatus(id, "error");
        until(() -> page.agentCard(id).getAttribute("class").contains("status-error"));
        assertThat(page.css(page.agentCard(id), "border-left-color")).isEqualTo("rgba(239, 68, 68, 1)");
        assertThat(page.agentCard(id).getText()).containsIgnoringCase("error");

        api.setStatus(id, "busy");
        until(() -> page.agentCard(id).getAttribute("class").contains("status-busy"));
        assertThat(page.css(page.agentCard(id), "border-left-color")).isEqualTo("rgba(245, 158, 11, 1)");
    }

    @Test
    void taskProgressMovesTheBar() {
        String agent = "mover-" + run;
        String task = "t-" + run + "-progress";
        api.spawn(agent, "Mover-" + run, "coder");
        api.createTask(task, "Move the bar " + run);
        api.assign(task, agent);
        api.start(task);
        api.progress(task, 25);
        page.show("tasks");
        until(() -> Math.abs(barFraction(task) - 0.25) < 0.02);

        api.progress(task, 80);
        until(() -> Math.abs(barFraction(task) - 0.80) < 0.02);
        assertThat(page.taskCard(task).findElement(By.cssSelector(".progress")).getAttribute("aria-valuenow")).isEqualTo("80");

        api.complete(task);
        until(() -> page.count("[data-testid='column-completed'] [data-task-id='" + task + "']") == 1
                && Math.abs(barFraction(task) - 1.0) < 0.02);
    }

    @Test
    void metricsCardsChangeWithinAFewSeconds() {
        // The card agrees with the server (this page, and any client another test class left connected)...
        until(() -> Integer.parseInt(page.text("#metric-clients-value")) == eventServer.getConnectedClients());
        int clientsBefore = Integer.parseInt(page.text("#metric-clients-value"));
        assertThat(clientsBefore).isPositive();
        // ...and follows one more client coming and going.
        try (TestClient another = TestClient.connectWelcomed(port)) {
            until(Duration.ofSeconds(5), () -> Integer.parseInt(page.text("#metric-clients-value")) == clientsBefore + 1);
        }
        until(Duration.ofSeconds(5), () -> Integer.parseInt(page.text("#metric-clients-value")) == clientsBefore);

        // Messages flow until the card shows a rate; the card is fed by the server's once-a-second metrics tick.
        String a = "talker-" + run;
        String b = "listener-" + run;
        api.spawn(a, "Talker-" + run, "coder");
        api.spawn(b, "Listener-" + run, "tester");
        AtomicInteger sent = new AtomicInteger();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
            api.message(a, b, "query", "ping " + sent.incrementAndGet());
            return Double.parseDouble(page.text("#metric-messages-value")) > 0;
        });
        assertThat(sent.get()).isPositive();
    }

    @Test
    void footerNamesTheServerItsVersionAndTheEpochOfItsLog() {
        until(() -> page.text("#server-id").equals("dashboard-it")
                && page.text("#server-epoch").equals(eventServer.epoch())
                && !page.text("#server-version").equals("–"));
        assertThat(page.text("#server-version"))
                .isEqualTo(Http.get(port, "/api/metrics/history").json().path("version").asString());
    }

    @Test
    void theChartIsFilledFromTheServersHistoryOnLoadWithRoundTicks() {
        // Let the server gather a dozen ticks, then open the page afresh: a page that only drew live ticks
        // would have two or three points after three seconds; one that loaded the history has them all.
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(port, "/api/metrics/history").json().path("points").size() >= 12);
        page.open().awaitConnected();
        until(Duration.ofSeconds(3), () -> chartPoints("messagesPerSecond") >= 12);

        // Value ticks are round: one step, 1, 2 or 5 times a power of ten, from 0; time ticks are clock minutes.
        List<Double> left = page.texts("#metrics-chart .tick-left").stream().map(Double::parseDouble).toList();
        List<Double> right = page.texts("#metrics-chart .tick-right").stream().map(Double::parseDouble).toList();
        for (List<Double> ticks : List.of(left, right)) {
            assertThat(ticks.get(0)).isZero();
            double step = ticks.get(1);
            assertThat(roundStep(step)).as("step %s of %s", step, ticks).isTrue();
            for (int i = 0; i < ticks.size(); i++) {
                assertThat(ticks.get(i)).isCloseTo(i * step, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        assertThat(left).hasSameSizeAs(right); // both axes on the same grid lines
        assertThat(page.texts("#metrics-chart .tick-time"))
                .allMatch(text -> text.matches("\\d\\d:\\d\\d|now")).isNotEmpty();
    }

    @Test
    void overviewSaysWorkingAgentsAndSmoothsTheRateCards() {
        assertThat(page.text("#metric-agents .metric-label")).isEqualToIgnoringCase("Working agents");
        assertThat(page.text("#view-overview .metric-grid")).doesNotContainIgnoringCase("active agents");

        // A burst of messages within one second: the server's per-second rate goes back to 0 at the next tick,
        // the card, a mean over five seconds, still shows the burst.
        String a = "burst-a-" + run;
        String b = "burst-b-" + run;
        api.spawn(a, "BurstA-" + run, "coder");
        api.spawn(b, "BurstB-" + run, "tester");
        long burstAt = System.currentTimeMillis();
        for (int i = 0; i < 6; i++) {
            api.message(a, b, "query", "burst " + i);
        }
        long burstDone = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode points = Http.get(port, "/api/metrics/history").json().path("points");
            boolean sawBurst = false;
            for (JsonNode p : points) {
                long t = p.path("timestamp").asLong();
                if (t >= burstAt && p.path("messagesPerSecond").asDouble() > 0) {
                    sawBurst = true;
                } else if (sawBurst && t > burstDone + 1000 && p.path("messagesPerSecond").asDouble() == 0) {
                    return true; // a tick after the burst second with a raw rate of 0
                }
            }
            return false;
        });
        assertThat(Double.parseDouble(page.text("#metric-messages-value"))).as("smoothed messages/s after the burst").isPositive();
        browser.screenshot("overview-cards");
    }

    @Test
    void failuresPanelListsFailedTasksAndAgentsInErrorNewestFirst() {
        String worker = "faulty-" + run;
        String broken = "broken-" + run;
        api.spawn(worker, "Faulty-" + run, "coder");
        api.spawn(broken, "Broken-" + run, "tester");
        String first = "t-" + run + "-first-fail";
        String second = "t-" + run + "-second-fail";
        api.createTask(first, "Compile the plugin " + run);
        api.assign(first, worker);
        api.start(first);
        api.fail(first, "compiler crashed " + run);
        until(() -> page.count("[data-testid='failure'][data-id='" + first + "']") == 1);
        api.setStatus(broken, "error");
        until(() -> page.count("[data-testid='failure'][data-id='" + broken + "']") == 1);
        api.createTask(second, "Upload the report " + run);
        api.fail(second, "quota exceeded " + run);
        until(() -> page.count("[data-testid='failure'][data-id='" + second + "']") == 1);

        List<String> order = page.findAll("[data-testid='failure']").stream().map(e -> e.getAttribute("data-id"))
                .filter(id -> id.contains(run)).toList();
        assertThat(order).containsExactly(second, broken, first);
        assertThat(page.find("[data-testid='failure'][data-id='" + first + "']").getText())
                .contains("Compile the plugin " + run).contains("compiler crashed " + run).contains("Faulty-" + run);
        assertThat(page.find("[data-testid='failure'][data-id='" + broken + "']").getAttribute("data-kind")).isEqualTo("agent");
        page.script("document.getElementById('failures-panel').scrollIntoView({block: 'center'})");
        browser.screenshot("failures");
        // The agent recovers: it leaves the panel.
        api.setStatus(broken, "idle");
        until(() -> page.count("[data-testid='failure'][data-id='" + broken + "']") == 0);
    }

    @Test
    void messageRowsExpandToTheWholePayloadAndSayWhenTheServerCutIt() {
        String from = "talk-" + run;
        String to = "hear-" + run;
        api.spawn(from, "Talk-" + run, "coder");
        api.spawn(to, "Hear-" + run, "tester");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("instruction", "refactor the ring buffer " + run);
        payload.put("files", List.of("Ring.java", "RingTest.java"));
        payload.put("deadline", "tomorrow");
        String small = api.message(from, to, "task", payload).path("id").asString();
        String huge = api.message(to, from, "response", "x".repeat(6000) + " end " + run).path("id").asString();
        page.show("messages");
        until(() -> page.count("tr[data-message-id='" + small + "']") == 1 && page.count("tr[data-message-id='" + huge + "']") == 1);

        // A click opens the row below with the payload, indented JSON, every field.
        page.find("tr.message-row[data-message-id='" + small + "'] .route").click();
        until(() -> page.count("tr.payload-row[data-message-id='" + small + "']") == 1);
        String shown = page.text("tr.payload-row[data-message-id='" + small + "'] pre");
        assertThat(shown).contains("\"instruction\": \"refactor the ring buffer " + run + "\"").contains("RingTest.java")
                .contains("\"deadline\": \"tomorrow\"").contains("\n");
        assertThat(page.find("tr.message-row[data-message-id='" + small + "'] .row-toggle").getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(page.count("tr.payload-row[data-message-id='" + small + "'] [data-testid='payload-truncated']")).isZero();

        // The keyboard: Enter on the row's toggle closes it and opens another.
        page.find("tr.message-row[data-message-id='" + small + "'] .row-toggle").sendKeys(Keys.ENTER);
        until(() -> page.count("tr.payload-row[data-message-id='" + small + "']") == 0);
        page.find("tr.message-row[data-message-id='" + huge + "'] .row-toggle").sendKeys(Keys.ENTER);
        until(() -> page.count("tr.payload-row[data-message-id='" + huge + "']") == 1);
        // 6 KiB is over the frame's 4 KiB value limit: the page says the payload was cut, and shows what came.
        assertThat(page.text("tr.payload-row[data-message-id='" + huge + "'] [data-testid='payload-truncated']")).contains("Truncated");
        String cut = page.text("tr.payload-row[data-message-id='" + huge + "'] pre");
        assertThat(cut).startsWith("xxxx").doesNotContain(" end " + run);
        assertThat(cut.length()).isBetween(4000, 4096);
        page.find("tr.message-row[data-message-id='" + small + "'] .route").click();
        until(() -> page.count("tr.payload-row[data-message-id='" + small + "']") == 1);
        browser.screenshot("messages-expanded");
    }

    @Test
    void agentDetailOpensAsASidePanelWithItsTasksAndRecentEvents() {
        String agent = "solo-" + run;
        api.spawn(agent, "Solo-" + run, "architect");
        String done = "t-" + run + "-solo-done";
        String doing = "t-" + run + "-solo-doing";
        api.createTask(done, "Sketch the modules " + run);
        api.assign(done, agent);
        api.start(done);
        api.complete(done);
        api.createTask(doing, "Draw the sequence diagram " + run);
        api.assign(doing, agent);
        api.start(doing);
        api.progress(doing, 40);
        api.message(agent, null, "broadcast", "note to all " + run);

        page.show("agents");
        assertThat(page.find("#agent-detail").isDisplayed()).isFalse();
        until(() -> page.count(".agent-card[data-agent-id='" + agent + "']") == 1);
        page.agentCard(agent).click();
        until(() -> page.find("#agent-detail").isDisplayed() && page.text("#agent-detail-name").equals("Solo-" + run));
        // A side panel: fixed against the right edge of the window, over the grid.
        assertThat(page.css(page.find("#agent-detail"), "position")).isEqualTo("fixed");
        Number gap = (Number) page.script("return document.documentElement.clientWidth - document.getElementById('agent-detail').getBoundingClientRect().right");
        assertThat(gap.doubleValue()).isLessThan(1.0);
        // Its tasks, newest first, with their state, and its recent events.
        until(() -> page.findAll("#agent-detail-tasks [data-task-id]").stream().map(e -> e.getAttribute("data-task-id")).toList()
                .equals(List.of(doing, done)));
        assertThat(page.text("#agent-detail-tasks [data-task-id='" + doing + "']")).contains("Draw the sequence diagram " + run).contains("running 40%");
        assertThat(page.text("#agent-detail-tasks [data-task-id='" + done + "']")).contains("completed");
        until(() -> page.text("#agent-detail-events").contains("sent broadcast message"));
        assertThat(page.text("#agent-detail-events")).contains("task " + doing);
        browser.screenshot("agent-detail");

        // Escape closes it, and the keyboard is back on the card.
        new Actions(browser.driver()).sendKeys(Keys.ESCAPE).perform();
        until(() -> !page.find("#agent-detail").isDisplayed());
        assertThat(page.script("return document.activeElement.dataset.agentId")).isEqualTo(agent);
        // Enter on the card opens it again; its close button closes it.
        page.agentCard(agent).sendKeys(Keys.ENTER);
        until(() -> page.find("#agent-detail").isDisplayed());
        page.find("#agent-detail-close").click();
        until(() -> !page.find("#agent-detail").isDisplayed());
    }

    @Test
    void topologyLabelsOfAThirteenNodeMeshDoNotCollide() {
        Map<String, String> members = new LinkedHashMap<>();
        String[] types = {"coordinator", "coder", "coder", "tester", "tester", "researcher", "reviewer", "architect",
                "analyst", "optimizer", "documenter", "coach", "codifier"};
        for (int i = 0; i < types.length; i++) {
            members.put((i == 5 ? "Researcher-With-A-Very-Long-Name-" : "Node-" + i + "-") + run, types[i]);
        }
        api.initSwarm("mesh", members);
        page.show("topology");
        int n = members.size();
        until(() -> page.count("svg g[data-node-id]") == n && page.count("svg line[data-health]") == n * (n - 1) / 2);

        // Each type has its own code: coordinator and coder (and coach, codifier) no longer share "CO".
        Map<String, Set<String>> codesByType = new LinkedHashMap<>();
        for (WebElement node : page.findAll("svg g[data-node-id]")) {
            codesByType.computeIfAbsent(node.getAttribute("data-type"), k -> new HashSet<>())
                    .add(node.findElement(By.cssSelector(".node-type")).getText());
        }
        assertThat(codesByType.values()).allMatch(codes -> codes.size() == 1);
        Set<String> distinct = new HashSet<>();
        codesByType.values().forEach(distinct::addAll);
        assertThat(distinct).hasSize(codesByType.size());
        assertThat(page.text("[data-testid='type-key']")).contains("coordinator").contains("coder").contains("codifier");

        // No label overlaps another label or another node; a cut name keeps its whole in the tooltip.
        @SuppressWarnings("unchecked")
        List<String> collisions = (List<String>) page.script("""
                const boxes = [...document.querySelectorAll('#topology-graph g[data-node-id]')].map(g => ({
                  id: g.dataset.nodeId,
                  label: g.querySelector('.node-label').getBoundingClientRect(),
                  node: g.querySelector('circle').getBoundingClientRect() }));
                const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
                const out = [];
                for (const a of boxes) for (const b of boxes) {
                  if (a === b) continue;
                  if (a.id < b.id && meet(a.label, b.label)) out.push(`labels ${a.id} and ${b.id}`);
                  if (meet(a.label, b.node)) out.push(`label of ${a.id} on node ${b.id}`);
                }
                return out;
                """);
        assertThat(collisions).isEmpty();
        WebElement longOne = page.findAll("svg g[data-node-id]").stream()
                .filter(g -> g.findElement(By.cssSelector("title")).getAttribute("textContent").startsWith("Researcher-With-A-Very-Long-Name-" + run))
                .findFirst().orElseThrow();
        assertThat(longOne.findElement(By.cssSelector(".node-label")).getText()).endsWith("…").hasSizeLessThanOrEqualTo(14);
        page.script("document.getElementById('topology-graph').scrollIntoView()");
        browser.screenshot("topology-mesh-13");
    }

    @Test
    void screenshotOfEachViewIsWrittenToTargetScreenshots() throws IOException {
        Instant started = Instant.now().minusSeconds(1);
        runDemoLikeSwarm(UPDATE_DOCS_SCREENSHOT ? 60 : 8);

        List<Path> written = new ArrayList<>();
        for (String view : DashboardPage.VIEWS) {
            showByKeyboard(view);
            awaitDrawn(view);
            page.script("document.activeElement && document.activeElement.blur()");
            written.add(browser.screenshot(view));
        }
        // A narrow window (a phone, a split screen): no view scrolls sideways as a whole.
        browser.resize(Browser.NARROW);
        for (String view : DashboardPage.VIEWS) {
            page.show(view);
            awaitDrawn(view);
            await().atMost(DashboardPage.WAIT).ignoreExceptions()
                    .untilAsserted(() -> assertThat(sidewaysOverflow()).as("%s view wider than the window", view).isEmpty());
            written.add(browser.screenshot(view + "-narrow"));
        }
        browser.resize(Browser.DESKTOP);

        for (Path file : written) {
            byte[] png = Files.readAllBytes(file);
            assertThat(png.length).as(file.toString()).isGreaterThan(5_000);
            assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
            assertThat(Files.getLastModifiedTime(file)).isGreaterThan(FileTime.from(started));
        }
        if (UPDATE_DOCS_SCREENSHOT) {
            Files.createDirectories(Path.of("docs"));
            Files.copy(Browser.SCREENSHOTS.resolve("overview.png"), Path.of("docs", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A small swarm at work, as the demo would run it: agents, tasks moving, messages and memory traffic. */
    private void runDemoLikeSwarm(int seconds) {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("Queen", "coordinator");
        members.put("Coder-A", "coder");
        members.put("Coder-B", "coder");
        members.put("Tester-A", "tester");
        members.put("Tester-B", "tester");
        members.put("Researcher", "researcher");
        members.put("Architect", "architect");
        JsonNode swarm = api.initSwarm("adaptive", members);
        List<String> ids = new ArrayList<>();
        swarm.path("nodes").forEach(node -> ids.add(node.path("id").asString()));
        String queen = ids.get(0);
        List<String> workers = ids.subList(1, ids.size());
        String[] descriptions = {"Design the event schema", "Implement the WebSocket handler", "Write integration tests",
                "Benchmark fan-out", "Review the protocol doc", "Profile memory use", "Refactor the ring buffer",
                "Survey Redis Streams"};
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < descriptions.length; i++) {
            String id = "demo-" + run + "-" + i;
            api.createTask(id, descriptions[i]);
            tasks.add(id);
        }
        for (int i = 0; i < 5; i++) {
            api.assign(tasks.get(i), workers.get(i));
            if (i < 4) {
                api.start(tasks.get(i));
            }
        }
        api.setStatus(workers.get(5), "error");
        AtomicInteger step = new AtomicInteger();
        int steps = seconds * 5;
        // Paced by Awaitility (200 ms a step): the chart needs a few seconds of traffic to show lines.
        await().atMost(Duration.ofSeconds(seconds * 3L + 30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            int s = step.incrementAndGet();
            String from = workers.get(s % workers.size());
            api.message(queen, from, "task", Map.of("step", s, "hint", "keep going"));
            api.message(from, queen, "response", "progress report " + s);
            if (s % 2 == 1) {
                api.memoryStore("swarm", "state-" + (s % 6), Map.of("step", s), from);
            } else {
                api.memoryRetrieve("swarm", "state-" + ((s - 1) % 6), from); // stored by the step before
            }
            if (s % 3 == 0) {
                api.memorySearch("swarm", "step", queen);
            }
            if (s % 5 == 0) {
                int task = (s / 5) % 4;
                int progress = Math.min(95, 10 + s * 2);
                api.progress(tasks.get(task), progress);
            }
            return s >= steps;
        });
        api.progress(tasks.get(0), 100);
        api.complete(tasks.get(0));
        api.fail(tasks.get(3), "benchmark host unreachable");
    }

    /** Moves focus with Tab until the view's link has it, then presses Enter: the navigation works without a mouse. */
    private void showByKeyboard(String view) {
        // Start where a person who has just opened the page starts: at the first focusable element, the skip link.
        page.script("window.scrollTo(0, 0); document.querySelector('.skip-link').focus()");
        Actions keys = new Actions(browser.driver());
        for (int i = 0; i < 20; i++) {
            keys.sendKeys(Keys.TAB).perform();
            Object focused = page.script("return document.activeElement && document.activeElement.dataset.view");
            if (view.equals(focused)) {
                keys.sendKeys(Keys.ENTER).perform();
                page.awaitShown(view);
                return;
            }
        }
        throw new AssertionError("the " + view + " link cannot be reached with Tab");
    }

    private void awaitDrawn(String view) {
        switch (view) {
            case "overview" -> until(() -> page.count("#metrics-chart path.series") == 3
                    && page.count("#activity-feed li[data-type]") > 0);
            case "agents" -> until(() -> page.count(".agent-card") > 0);
            case "tasks" -> until(() -> page.count(".task-card") > 0);
            case "messages" -> until(() -> page.count("#message-rows tr") > 0);
            case "memory" -> until(() -> page.count("#memory-rows tr") > 0);
            case "topology" -> until(() -> page.count("svg g[data-node-id]") > 0);
            default -> throw new IllegalArgumentException(view);
        }
    }

    /** Elements that stick out of the window on the right, when the page as a whole scrolls sideways. */
    @SuppressWarnings("unchecked")
    private List<String> sidewaysOverflow() {
        return (List<String>) page.script("""
                const width = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth <= width) return [];
                return [`window ${width} px, page ${document.documentElement.scrollWidth} px`, ...document.querySelectorAll('body *')]
                    .filter(e => typeof e === 'string' || (e.getBoundingClientRect().right > width + 1 && !e.closest('.app-nav, .table-wrap, .topology')))
                    .slice(0, 8)
                    .map(e => typeof e === 'string' ? e : `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${e.getAttribute('class')} right=${Math.round(e.getBoundingClientRect().right)}`);
                """);
    }

    /** How many points the chart's line for a series has (each an M or L command of its path). */
    private int chartPoints(String series) {
        String d = page.find("#metrics-chart path[data-series='" + series + "']").getAttribute("d");
        return d == null ? 0 : d.replaceAll("[^ML]", "").length();
    }

    /** 1, 2 or 5 times a power of ten. */
    private static boolean roundStep(double step) {
        double exp = Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        double f = step / exp;
        return Math.abs(f - 1) < 1e-6 || Math.abs(f - 2) < 1e-6 || Math.abs(f - 5) < 1e-6;
    }

    private Set<String> nodeIds() {
        Set<String> ids = new HashSet<>();
        page.findAll("svg g[data-node-id]").forEach(node -> ids.add(node.getAttribute("data-node-id")));
        return ids;
    }

    private double barFraction(String taskId) {
        return ((Number) page.script("const card = document.querySelector(`[data-task-id='${arguments[0]}']`);"
                + "return card.querySelector('.progress-fill').getBoundingClientRect().width"
                + " / card.querySelector('.progress').getBoundingClientRect().width;", taskId)).doubleValue();
    }

    private int liveAgents() {
        int live = 0;
        for (JsonNode agent : api.agents()) {
            if (!"stopped".equals(agent.path("status").asString())) {
                live++;
            }
        }
        return live;
    }

    private int serverTasksWithStatus(String status) {
        int count = 0;
        for (JsonNode task : api.tasks()) {
            if (status.equals(task.path("status").asString())) {
                count++;
            }
        }
        return count;
    }
}
