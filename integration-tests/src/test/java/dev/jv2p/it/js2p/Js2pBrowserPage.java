package dev.jv2p.it.js2p;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A page that runs js2p 0.7.870 in a browser: js2p's own sources (from {@link Js2pInstall}),
 * unmodified, bundled with browserify at test time into {@code target/js2p-browser/page}, next
 * to {@code js2p-page.html} from the test resources. Nothing built here is committed.
 *
 * <p>Three Node-only modules are left out of the bundle ({@code -i}): {@code nodejs-websocket}
 * and {@code node-forge}, which js2p uses only where {@code require('net').connect} exists (its
 * listeners and Node dialers; in a browser it dials with the browser's {@code WebSocket}), and
 * {@code snappy}, a native addon js2p already loads inside a try/catch.
 */
public final class Js2pBrowserPage {
    /** The browserify release the bundle is built with. */
    public static final String BROWSERIFY = "browserify@17.0.1";

    private static final List<String> LEFT_OUT = List.of("nodejs-websocket", "node-forge", "snappy");

    private static Path built; // guarded by Js2pBrowserPage.class

    private Js2pBrowserPage() {}

    /** Builds the bundle once per JVM and returns the page's file. */
    public static synchronized Path page() {
        if (built != null) {
            return built;
        }
        Path js2p = Js2pInstall.ensureInstalled().resolve("node_modules").resolve("js2p");
        Path root = Js2pInstall.installDir().resolveSibling("js2p-browser");
        Path tools = root.resolve("tools");
        Path out = root.resolve("page");
        try {
            Files.createDirectories(tools);
            Files.createDirectories(out);
            Path cli = tools.resolve("node_modules")
                    .resolve("browserify")
                    .resolve("bin")
                    .resolve("cmd.js");
            if (!Files.isRegularFile(cli)) {
                Js2pInstall.npmInstall(Js2pInstall.npm(), tools, BROWSERIFY);
            }
            Path bundle = out.resolve("js2p-bundle.js");
            browserify(cli, js2p.resolve("js_src").resolve("js2p.js"), bundle, root.resolve("browserify.log"));
            Path page = out.resolve("js2p-page.html");
            try (InputStream in = Js2pBrowserPage.class.getResourceAsStream("js2p-page.html")) {
                if (in == null) {
                    throw new IllegalStateException("test resource js2p-page.html is missing");
                }
                Files.copy(in, page, StandardCopyOption.REPLACE_EXISTING);
            }
            built = page;
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException("could not build the js2p browser page in " + root, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while bundling js2p", e);
        }
    }

    private static void browserify(Path cli, Path entry, Path bundle, Path log)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Js2pInstall.node().toString(),
                cli.toString(),
                entry.toString(),
                "--standalone",
                "js2p",
                "-o",
                bundle.toString()));
        for (String module : LEFT_OUT) {
            command.addAll(List.of("-i", module));
        }
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("browserify timed out; log " + log);
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(bundle)) {
            throw new IllegalStateException("browserify failed with exit code " + p.exitValue() + ": "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
