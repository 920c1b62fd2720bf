package io.swarmcast.dashboard;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One headless Chromium per test class, as every dashboard browser test needs it: started before the class's tests
 * (when Chromium and chromedriver are installed; otherwise each test is skipped), quit after them, and before each
 * test sized as a desktop window with the console of earlier tests forgotten.
 */
abstract class BrowserTest {

    static Browser browser;

    @BeforeAll
    static void startBrowser() {
        if (Browser.installed()) {
            browser = Browser.start();
        }
    }

    @AfterAll
    static void quitBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @BeforeEach
    void freshDesktopWindow() {
        Browser.assumeInstalled();
        browser.resize(Browser.DESKTOP);
        browser.forgetConsole();
    }
}
