package dev.jv2p.it.js2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import dev.jv2p.transport.ws.WsTransport;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * js2p 0.7.870 in a real headless Chromium ({@link Js2pBrowserPage}: js2p's own sources bundled
 * at build time) joins a jv2p node over {@code ws}; keys set on either side reach the other.
 * Chromium and its driver are Debian's ({@code chromium}, {@code chromium-driver}); Selenium is
 * pointed at them and runs with {@code SE_OFFLINE=true}, so it never downloads anything.
 * Without them the test is skipped, or fails when the environment variable {@code CI} is set.
 */
class Js2pInBrowserIT {
    /** The acceptance bound of issue 18 for a key to cross in either direction. */
    private static final Duration CROSSING = Duration.ofSeconds(5);

    private static final Duration JOIN = Duration.ofSeconds(30);

    private static Path tool(String property) {
        Path p = Path.of(System.getProperty(property, ""));
        if (Files.isRegularFile(p) && Files.isExecutable(p)) { // "" is the working directory, which "executes"
            return p;
        }
        String message = "no " + p + " (" + property + "): install Debian's chromium and chromium-driver";
        if (System.getenv("CI") != null) {
            return Assertions.fail(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    private static ChromeDriver chromium(Path chromium, Path driver) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver.toString()))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    @Test
    void aJs2pPageInHeadlessChromiumJoinsAJv2pWsNodeAndKeysCrossBothWaysWithinFiveSeconds() {
        Path chromium = tool("jv2p.it.chromium");
        Path driver = tool("jv2p.it.chromedriver");
        Path page = Js2pBrowserPage.page();
        try (SyncSocket jv = SyncSocket.start(SyncConfig.builder()
                .mesh(MeshConfig.builder()
                        .bindHost("127.0.0.1")
                        .port(0)
                        .transport(new WsTransport())
                        .protocol(new Protocol("sync", WsTransport.NAME))
                        .build())
                .build())) {
            ChromeDriver browser = chromium(chromium, driver);
            try {
                JavascriptExecutor js = browser;
                browser.get(page.toUri() + "?port=" + jv.mesh().localAddress().getPort());
                assertEquals(jv.mesh().protocolId(), js.executeScript("return page.protocolId()"));
                String pageId = (String) js.executeScript("return page.id()");
                await().atMost(JOIN)
                        .until(() -> jv.mesh().routingTable().containsKey(pageId)
                                && List.of(jv.id()).equals(js.executeScript("return page.peers()")));
                PeerInfo peer = jv.mesh().routingTable().get(pageId);
                assertEquals(null, peer.advertisedHost(), "a page cannot listen and is never dialed");

                js.executeScript("page.set('from-browser', 'hello jv2p')");
                await().atMost(CROSSING).until(() -> "hello jv2p".equals(jv.get("from-browser")));
                assertEquals(pageId, jv.meta("from-browser").orElseThrow().owner());

                jv.set("from-jv2p", "hello browser");
                await().atMost(CROSSING)
                        .until(() -> "hello browser".equals(js.executeScript("return page.get('from-jv2p')")));
                assertEquals(List.of(), js.executeScript("return page.errors()"));
                assertTrue(jv.mesh().routingTable().containsKey(pageId), "the page is still connected");
            } finally {
                browser.quit();
            }
        }
    }
}
