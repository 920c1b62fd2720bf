package io.swarmcast.dashboard;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;

/**
 * The dashboard as a test reads it: only through the DOM (ids, {@code data-*} attributes, visible text),
 * the way a person would see it, never through the page's JavaScript state.
 */
final class DashboardPage {

    static final List<String> VIEWS = List.of("overview", "agents", "tasks", "messages", "memory", "topology");
    /** Generous: the build machine runs several JVMs and a browser on two cores. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private final Browser browser;
    private final String baseUrl;

    DashboardPage(Browser browser, int port) {
        this.browser = browser;
        this.baseUrl = "http://localhost:" + port;
    }

    DashboardPage open() {
        return open("/");
    }

    /** Opens the page at a path with a query, e.g. {@code /?token=...} on a server with tokens. */
    DashboardPage open(String pathAndQuery) {
        browser.driver().get(baseUrl + pathAndQuery);
        return this;
    }

    WebElement find(String css) {
        return browser.driver().findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return browser.driver().findElements(By.cssSelector(css));
    }

    /**
     * The texts of every element matching {@code css}, read in one step inside the page: views that redraw
     * (the chart, every second) replace their elements, so reading them one by one could meet a stale one.
     */
    @SuppressWarnings("unchecked")
    List<String> texts(String css) {
        return (List<String>) browser.script(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.textContent.trim());", css);
    }

    String text(String css) {
        return find(css).getText().trim();
    }

    /** The text of an element whether or not it is shown (Selenium's getText is empty for hidden ones). */
    String textContent(String css) {
        return find(css).getAttribute("textContent").trim();
    }

    int number(String css) {
        return Integer.parseInt(text(css));
    }

    int count(String css) {
        return findAll(css).size();
    }

    /** Shows a view by its navigation link, as a click would. */
    DashboardPage show(String view) {
        find(".app-nav a[data-view='" + view + "']").click();
        awaitShown(view);
        return this;
    }

    void awaitShown(String view) {
        until(() -> find("#view-" + view).isDisplayed()
                && "page".equals(find(".app-nav a[data-view='" + view + "']").getAttribute("aria-current")));
    }

    String connectionState() {
        return find("#connection-status").getAttribute("data-state");
    }

    String connectionText() {
        return text("#connection-text");
    }

    int opens() {
        return Integer.parseInt(find("#connection-status").getAttribute("data-opens"));
    }

    DashboardPage awaitConnected() {
        until(() -> "connected".equals(connectionState()) && "Connected".equals(connectionText()));
        return this;
    }

    WebElement agentCard(String agentId) {
        return find(".agent-card[data-agent-id='" + agentId + "']");
    }

    WebElement taskCard(String taskId) {
        return find(".task-card[data-task-id='" + taskId + "']");
    }

    /** The computed value of a CSS property, as the browser paints it. */
    String css(WebElement element, String property) {
        return element.getCssValue(property);
    }

    Object script(String javascript, Object... args) {
        return browser.script(javascript, args);
    }

    static void until(Callable<Boolean> condition) {
        until(WAIT, condition);
    }

    static void until(Duration atMost, Callable<Boolean> condition) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
    }
}
