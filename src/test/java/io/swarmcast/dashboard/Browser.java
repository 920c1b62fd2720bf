package io.swarmcast.dashboard;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * Headless Debian Chromium driven through the Debian chromedriver, for the dashboard's browser tests.
 * Both paths are given explicitly, so Selenium Manager never runs and nothing is downloaded; the tests are
 * skipped (a JUnit assumption) on a machine without them. {@code -Dswarmcast.e2e.chromium=} and
 * {@code -Dswarmcast.e2e.chromedriver=} point elsewhere.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("swarmcast.e2e.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("swarmcast.e2e.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Dimension DESKTOP = new Dimension(1280, 800);
    static final Dimension NARROW = new Dimension(400, 800);

    private final ChromeDriver driver;
    private final Path profile;
    private final List<LogEntry> console = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /**
     * Skips the calling test, reported as skipped, when Chromium or its driver is not installed. Called before
     * each test rather than once per class, since JUnit reports a class aborted in {@code @BeforeAll} as
     * having run no tests at all, where each skipped test should show.
     */
    static void assumeInstalled() {
        Assumptions.assumeTrue(installed(),
                "browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
    }

    static Browser start() {
        // Belt and braces: with the driver path set, Selenium has no reason to look for (or fetch) one.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("swarmcast-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + DESKTOP.getWidth() + "," + DESKTOP.getHeight(),
                "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        Browser browser = new Browser(driver, profile);
        browser.resize(DESKTOP);
        return browser;
    }

    WebDriver driver() {
        return driver;
    }

    Object script(String javascript, Object... args) {
        return driver.executeScript(javascript, args);
    }

    /** Every console entry since the browser started (Chromium hands each entry out once, so they are kept here). */
    List<LogEntry> console() {
        console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
        return List.copyOf(console);
    }

    /** Console entries at error level (uncaught exceptions, failed loads, console.error). */
    List<String> consoleErrors() {
        return console().stream().filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    void forgetConsole() {
        console();
        console.clear();
    }

    /** Writes a PNG of the window to {@code target/screenshots/<name>.png}. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes the page's viewport (not the window around it) the given size, as a screen of that size shows it.
     * Chromium will not make a window narrower than about 500 px, so narrower sizes are emulated, as its
     * device toolbar does.
     */
    void resize(Dimension viewport) {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        if (viewport.getWidth() < 500) {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", viewport.getWidth(),
                    "height", viewport.getHeight(), "deviceScaleFactor", 1, "mobile", false));
            return;
        }
        driver.manage().window().setSize(viewport);
        @SuppressWarnings("unchecked")
        List<Number> frame = (List<Number>) driver.executeScript(
                "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]");
        int extraWidth = frame.get(0).intValue();
        int extraHeight = frame.get(1).intValue();
        if (extraWidth > 0 || extraHeight > 0) {
            driver.manage().window().setSize(new Dimension(viewport.getWidth() + extraWidth, viewport.getHeight() + extraHeight));
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temp profile left behind is harmless.
        }
    }
}
