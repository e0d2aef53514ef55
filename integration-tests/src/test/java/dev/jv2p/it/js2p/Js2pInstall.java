package dev.jv2p.it.js2p;

import dev.jv2p.testsupport.Js2pInstaller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Installs the npm package {@code js2p} into the build directory ({@code js2p.dir}, by default
 * {@code integration-tests/target/js2p}) once per build and locates Node.js.
 *
 * <p>The install itself is {@link Js2pInstaller}'s (shared with the benchmark harness): npm
 * into a private prefix, serialised across JVMs, skipped once a verified install is there.
 *
 * <p>Without {@code node}/{@code npm} on the PATH the calling test is skipped through JUnit
 * assumptions, unless the environment variable {@code CI} is set: then it fails.
 */
public final class Js2pInstall {
    /** System property with the js2p version to install (set by the pom). */
    public static final String VERSION_PROPERTY = "js2p.version";
    /** System property with the install directory (set by the pom). */
    public static final String DIR_PROPERTY = "js2p.dir";
    /** System property with the driver script (set by the pom). */
    public static final String DRIVER_PROPERTY = "js2p.driver";
    /** The version the project is wire-compatible with. */
    public static final String DEFAULT_VERSION = "0.7.870";

    private static Path installed; // guarded by Js2pInstall.class

    private Js2pInstall() {}

    /** The js2p version to use. */
    public static String version() {
        return System.getProperty(VERSION_PROPERTY, DEFAULT_VERSION);
    }

    /** The install prefix; js2p itself lives in {@code <dir>/node_modules/js2p}. */
    public static Path installDir() {
        return Paths.get(System.getProperty(DIR_PROPERTY, "target/js2p"))
                .toAbsolutePath()
                .normalize();
    }

    /** The driver script {@code js2p-driver.js}. */
    public static Path driverScript() {
        Path driver = Paths.get(System.getProperty(DRIVER_PROPERTY, "src/test/js/js2p-driver.js"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(driver)) {
            throw new IllegalStateException(
                    "js2p driver script not found: " + driver + " (system property " + DRIVER_PROPERTY + ")");
        }
        return driver;
    }

    /** Directory for driver logs: {@code <build dir>/js2p-logs}. */
    public static Path logDir() {
        Path parent = installDir().getParent();
        return (parent != null ? parent : installDir()).resolve("js2p-logs");
    }

    /**
     * The {@code node} executable. Skips the calling test (or fails it when {@code CI} is set)
     * if Node.js is not on the PATH.
     */
    public static Path node() {
        return requireTool("node");
    }

    /**
     * Makes sure js2p {@link #version()} is installed and returns the install directory. Skips
     * the calling test (or fails it when {@code CI} is set) if Node.js or npm is missing; any
     * install failure is an error.
     */
    public static synchronized Path ensureInstalled() {
        node();
        Path npm = npm();
        if (installed != null) {
            return installed;
        }
        Path dir = installDir();
        String version = version();
        try {
            installed = Js2pInstaller.ensureJs2p(npm, dir, version);
        } catch (IOException e) {
            throw new UncheckedIOException("could not install js2p " + version + " into " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing js2p", e);
        }
        return installed;
    }

    /** Runs {@code npm install <spec>} with {@code dir} as a private npm project root (see {@link Js2pInstaller}). */
    static void npmInstall(Path npm, Path dir, String spec) throws IOException, InterruptedException {
        Js2pInstaller.npmInstall(npm, dir, spec);
    }

    /** The {@code npm} executable; skips (or fails under CI) like {@link #node()}. */
    static Path npm() {
        return requireTool("npm");
    }

    static String tail(Path file) {
        return Js2pInstaller.tail(file);
    }

    private static Path requireTool(String name) {
        Optional<Path> tool = Js2pInstaller.findOnPath(name);
        if (tool.isPresent()) {
            return tool.get();
        }
        String message = "Node.js not found: js2p interop tests skipped (no '" + name + "' on PATH="
                + System.getenv("PATH") + ")";
        if (System.getenv("CI") != null) {
            return Assertions.fail(message.replace("skipped", "cannot run, and CI is set")
                    + ". Install Node.js 20 and npm on the CI machine.");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }
}
