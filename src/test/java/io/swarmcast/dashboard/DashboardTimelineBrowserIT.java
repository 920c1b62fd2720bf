package io.swarmcast.dashboard;

import io.swarmcast.support.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.swarmcast.dashboard.DashboardPage.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's timeline in real headless Chromium: a swarm in which a task fails and later events change
 * things; from the failed task's card the page jumps to the moment it failed (every view as it was then,
 * marked REPLAY), the scrubber moves it an event at a time, and "Back to live" (or the scrubber's right end)
 * shows the present again, marked LIVE. Playback from that moment (over the server's playback protocol) runs
 * forward by itself, pauses, changes speed and ends live. Skipped (as an assumption) where Chromium and chromedriver are not installed.
 */
// The default test context: the assertions are about this run's own agents and tasks only.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardTimelineBrowserIT extends BrowserTest {

    @LocalServerPort
    int port;

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
        // A 410 for a point older than the server can rebuild is an answer the page acts on (it shows the oldest
        // point instead), but Chromium logs every 4xx fetch as an error; that one line is expected, nothing else.
        assertThat(browser.consoleErrors()).as("browser console errors")
                .filteredOn(line -> !(line.contains("/api/state?atSeq=") && line.contains("410")))
                .isEmpty();
    }

    @Test
    void scrubToTheMomentATaskFailedAndBackToLive() {
        Story story = failThenMoveOn();
        until(() -> "LIVE".equals(mode()));

        // Live: the failed card offers its moment; what happened after the failure shows.
        page.show("tasks");
        until(() -> "failed".equals(page.taskCard(story.failed).getAttribute("data-status"))
                && page.count(".task-card[data-task-id='" + story.later + "']") == 1
                && "completed".equals(page.taskCard(story.other).getAttribute("data-status")));
        WebElement jump = page.taskCard(story.failed).findElement(By.cssSelector("[data-testid='jump-to-failure']"));
        assertThat(jump.isDisplayed()).isTrue();
        assertThat(page.taskCard(story.other).findElement(By.cssSelector("[data-testid='jump-to-failure']")).isDisplayed())
                .as("only failed cards offer their moment").isFalse();

        // Jump: every view shows the swarm as it was right after the failing event.
        jump.click();
        until(() -> "REPLAY".equals(mode()) && shownSeq() == story.failureSeq);
        assertThat(page.find("#main").getAttribute("class")).contains("replay");
        assertThat(page.find("#timeline").getAttribute("data-mode")).isEqualTo("replay");
        assertThat(page.text("[data-testid='timeline-where']")).startsWith("seq " + story.failureSeq + " of ");
        until(() -> "failed".equals(page.taskCard(story.failed).getAttribute("data-status"))
                && "running".equals(page.taskCard(story.other).getAttribute("data-status"))
                && page.count(".task-card[data-task-id='" + story.later + "']") == 0);
        assertThat(page.taskCard(story.failed).getText()).contains("Error: " + story.error);
        assertThat(page.taskCard(story.other).findElement(By.cssSelector("[data-testid='progress-fill']"))
                .getAttribute("data-progress")).isEqualTo("40");
        browser.screenshot("timeline-replay");

        page.show("agents");
        until(() -> page.count(".agent-card[data-agent-id='" + story.worker + "']") == 1);
        assertThat(page.count(".agent-card[data-agent-id='" + story.lateAgent + "']")).as("spawned after the failure").isZero();

        page.show("messages");
        until(() -> page.texts("#message-rows tr.message-row").stream().anyMatch(t -> t.contains("before " + run)));
        assertThat(page.texts("#message-rows tr.message-row")).as("sent after the failure")
                .noneMatch(t -> t.contains("after " + run));

        page.show("overview");
        until(() -> page.count("[data-testid='failure'][data-id='" + story.failed + "']") == 1);
        assertThat(page.text("#metric-running-value")).isNotEqualTo("–");

        // The scrubber, from the keyboard: one event back, the task is not failed yet.
        page.show("tasks");
        WebElement range = page.find("[data-testid='timeline-range']");
        range.sendKeys(Keys.ARROW_LEFT);
        until(() -> "REPLAY".equals(mode()) && shownSeq() == story.failureSeq - 1);
        until(() -> "running".equals(page.taskCard(story.failed).getAttribute("data-status")));
        // And forward again.
        range.sendKeys(Keys.ARROW_RIGHT);
        until(() -> shownSeq() == story.failureSeq && "failed".equals(page.taskCard(story.failed).getAttribute("data-status")));

        // Back to live: the present, with everything that happened since.
        page.find("[data-testid='timeline-live']").click();
        until(() -> "LIVE".equals(mode()));
        assertThat(page.find("#main").getAttribute("class")).doesNotContain("replay");
        until(() -> page.count(".task-card[data-task-id='" + story.later + "']") == 1
                && "completed".equals(page.taskCard(story.other).getAttribute("data-status")));
        page.show("agents");
        until(() -> page.count(".agent-card[data-agent-id='" + story.lateAgent + "']") == 1);

        // Events keep arriving while replaying, and the scrubber's right end is live too.
        jumpBackTo(story);
        String latest = "t-" + run + "-latest";
        api.createTask(latest, "Arrived during the replay " + run);
        until(() -> page.count(".task-card[data-task-id='" + latest + "']") == 0
                && Long.parseLong(page.find("[data-testid='timeline-range']").getAttribute("max")) > story.failureSeq);
        page.find("[data-testid='timeline-range']").sendKeys(Keys.END);
        until(() -> "LIVE".equals(mode()) && page.count(".task-card[data-task-id='" + latest + "']") == 1);
    }

    @Test
    void dragToTheStartThenPlayPauseAndPlayOnToLive() {
        Story story = failThenMoveOn();
        page.show("tasks");
        until(() -> page.count(".task-card[data-task-id='" + story.later + "']") == 1);

        // Drag the thumb to the far left: the oldest moment the server can show, older than this run's swarm.
        WebElement range = page.find("[data-testid='timeline-range']");
        new Actions(browser.driver()).clickAndHold(range).moveByOffset(-range.getSize().getWidth() / 2 - 10, 0).release().perform();
        until(() -> "REPLAY".equals(mode()) && shownSeq() < story.firstSeq);
        until(() -> page.count(".task-card[data-task-id='" + story.failed + "']") == 0);

        // A gap in the log for the playback to take time over: at 1× it lasts as long as it did, 4 s.
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
        String last = "t-" + run + "-last";
        api.createTask(last, "After a quiet spell " + run);
        page.find("[data-testid='timeline-live']").click();
        until(() -> "LIVE".equals(mode()) && page.count(".task-card[data-task-id='" + last + "']") == 1);

        // Play at 1× from the failure: the events right after it come at once, then the gap holds the playhead.
        jumpBackTo(story);
        assertThat(page.find("[data-testid='timeline-speed-1']").getAttribute("aria-pressed")).isEqualTo("true");
        page.find("[data-testid='timeline-play']").click();
        until(() -> "playing".equals(page.find("#timeline").getAttribute("data-playback"))
                && page.count(".task-card[data-task-id='" + story.later + "']") == 1
                && "completed".equals(page.taskCard(story.other).getAttribute("data-status")));
        assertThat(page.count(".task-card[data-task-id='" + last + "']")).as("after the gap").isZero();
        assertThat(shownSeq()).isGreaterThan(story.failureSeq);
        assertThat(mode()).isEqualTo("REPLAY");

        // Pause: the playhead stays where it is.
        page.find("[data-testid='timeline-play']").click();
        until(() -> "paused".equals(page.find("#timeline").getAttribute("data-playback")));
        long pausedAt = shownSeq();
        assertThat(page.text("[data-testid='timeline-where']")).contains("paused");
        assertThat(page.count(".task-card[data-task-id='" + last + "']")).isZero();
        browser.screenshot("timeline-paused");

        // 16× from there: through the gap to the present, and LIVE again.
        page.find("[data-testid='timeline-speed-16']").click();
        assertThat(page.find("[data-testid='timeline-speed-16']").getAttribute("aria-pressed")).isEqualTo("true");
        page.find("[data-testid='timeline-play']").click();
        until(() -> "LIVE".equals(mode()) && page.count(".task-card[data-task-id='" + last + "']") == 1);
        assertThat(shownSeq()).isGreaterThan(pausedAt);
        assertThat(page.find("#timeline").getAttribute("data-playback")).isEqualTo("none");
        // The live stream resumed without a gap: an event after the playback shows too.
        String after = "t-" + run + "-after";
        api.createTask(after, "After the playback " + run);
        until(() -> page.count(".task-card[data-task-id='" + after + "']") == 1);
    }

    /** From the failed card on the Tasks view, to the moment it failed. */
    private void jumpBackTo(Story story) {
        page.show("tasks");
        until(() -> "failed".equals(page.taskCard(story.failed).getAttribute("data-status")));
        page.taskCard(story.failed).findElement(By.cssSelector("[data-testid='jump-to-failure']")).click();
        until(() -> "REPLAY".equals(mode()) && shownSeq() == story.failureSeq);
    }

    private String mode() {
        return page.text("[data-testid='timeline-mode']");
    }

    private long shownSeq() {
        return Long.parseLong(page.find("#timeline").getAttribute("data-seq"));
    }

    private record Story(String worker, String lateAgent, String failed, String other, String later, String error,
                         long firstSeq, long failureSeq) {
    }

    /**
     * Two agents; one task running at 40 %, another failing; then, after the failure, a new agent, a new task,
     * the running task completed, and a message. A message before the failure too, for the stream's cut.
     */
    private Story failThenMoveOn() {
        long firstSeq = newestSeq() + 1;
        Map<String, String> members = new LinkedHashMap<>();
        members.put("Worker-" + run, "coder");
        members.put("Helper-" + run, "tester");
        JsonNode swarm = api.initSwarm("mesh", members);
        Map<String, String> idByName = new LinkedHashMap<>();
        swarm.path("nodes").forEach(node -> idByName.put(node.path("name").asString(), node.path("id").asString()));
        String worker = idByName.get("Worker-" + run);
        String helper = idByName.get("Helper-" + run);

        String other = "t-" + run + "-other";
        api.createTask(other, "Index the repository " + run);
        api.assign(other, helper);
        api.start(other);
        api.progress(other, 40);
        api.message(worker, helper, "query", Map.of("text", "before " + run));

        String failed = "t-" + run + "-fail";
        String error = "linker exploded " + run;
        api.createTask(failed, "Build the plugin " + run);
        api.assign(failed, worker);
        api.start(failed);
        // Through the ingest API, which answers with the seq of the failing task:update itself (the page's "moment").
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("type", "task:update");
        failure.put("taskId", failed);
        failure.put("status", "failed");
        failure.put("agentId", worker);
        failure.put("description", "Build the plugin " + run);
        failure.put("error", error);
        long failureSeq = api.ingest(List.of(failure)).get(0);
        assertThat(failureSeq).isGreaterThan(firstSeq);

        String lateAgent = "late-" + run;
        api.spawn(lateAgent, "Late-" + run, "reviewer");
        String later = "t-" + run + "-later";
        api.createTask(later, "Review the fix " + run);
        api.complete(other);
        api.message(helper, worker, "response", Map.of("text", "after " + run));
        return new Story(worker, lateAgent, failed, other, later, error, firstSeq, failureSeq);
    }

    private long newestSeq() {
        return Http.get(port, "/api/state").json().path("seq").asLong();
    }
}
