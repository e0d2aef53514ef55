package dev.jv2p.it.js2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Installs the npm package {@code js2p} into the build directory ({@code js2p.dir}, by default
 * {@code integration-tests/target/js2p}) once per build and locates Node.js.
 *
 * <p>The install runs {@code npm install js2p@<version> --no-save --no-package-lock --no-audit
 * --no-fund} with {@code --prefix js2p.dir}, inside a private {@code package.json} that this class
 * writes there, so npm never walks up into the source tree and never writes a lockfile or
 * {@code .npmrc}. A file lock next to the directory serialises parallel JVMs; a marker file
 * written after a verified install makes later runs skip npm entirely.
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

    private static final String MARKER = ".jv2p-js2p-installed";
    private static final long INSTALL_TIMEOUT_MINUTES = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

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
    @SuppressWarnings("try") // the lock is held for the try block's duration, never referenced
    public static synchronized Path ensureInstalled() {
        node();
        Path npm = npm();
        if (installed != null) {
            return installed;
        }
        Path dir = installDir();
        String version = version();
        try {
            Files.createDirectories(dir);
            Path lockFile = dir.resolveSibling(dir.getFileName() + ".install.lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (!isInstalled(dir, version)) {
                    Files.deleteIfExists(dir.resolve(MARKER));
                    npmInstall(npm, dir, "js2p@" + version);
                    Optional<String> found = installedVersion(dir);
                    if (!found.equals(Optional.of(version))) {
                        throw new IllegalStateException("npm install finished but " + packageJson(dir)
                                + " reports version " + found.orElse("<missing>") + ", expected " + version);
                    }
                    Files.writeString(dir.resolve(MARKER), version, StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not install js2p " + version + " into " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing js2p", e);
        }
        installed = dir;
        return dir;
    }

    private static boolean isInstalled(Path dir, String version) throws IOException {
        Path marker = dir.resolve(MARKER);
        return Files.isRegularFile(marker)
                && Files.readString(marker, StandardCharsets.UTF_8).trim().equals(version)
                && installedVersion(dir).equals(Optional.of(version));
    }

    private static Path packageJson(Path dir) {
        return dir.resolve("node_modules").resolve("js2p").resolve("package.json");
    }

    private static Optional<String> installedVersion(Path dir) throws IOException {
        Path pj = packageJson(dir);
        if (!Files.isRegularFile(pj)) {
            return Optional.empty();
        }
        JsonNode version = JSON.readTree(pj.toFile()).get("version");
        return version == null ? Optional.empty() : Optional.of(version.asText());
    }

    /**
     * Runs {@code npm install <spec>} with {@code dir} as a private npm project root: no lockfile,
     * no {@code .npmrc}, nothing saved, npm never walks up into the source tree.
     */
    static void npmInstall(Path npm, Path dir, String spec) throws IOException, InterruptedException {
        Files.writeString(
                dir.resolve("package.json"),
                "{\n  \"name\": \"jv2p-test-tools\",\n  \"private\": true,\n  \"description\": "
                        + "\"generated by the integration tests; npm packages they run\"\n}\n",
                StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(
                npm.toString(),
                "install",
                spec,
                "--prefix",
                dir.toString(),
                "--no-save",
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "--loglevel=warn"));
        Path log = dir.resolveSibling(dir.getFileName() + "-npm-install.log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("npm_config_update_notifier", "false");
        env.put("npm_config_package_lock", "false");
        env.put("npm_config_save", "false");
        env.put("npm_config_fund", "false");
        env.put("npm_config_audit", "false");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException("npm install " + spec + " timed out after " + INSTALL_TIMEOUT_MINUTES
                    + " min; log " + log + ":\n" + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("npm install " + spec + " failed with exit code " + p.exitValue() + "; log "
                    + log + ":\n" + tail(log));
        }
    }

    /** The {@code npm} executable; skips (or fails under CI) like {@link #node()}. */
    static Path npm() {
        return requireTool("npm");
    }

    static String tail(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return "<no " + file + ">";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int from = Math.max(0, lines.size() - 60);
            return String.join("\n", lines.subList(from, lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "<could not read " + file + ": " + e + ">";
        }
    }

    private static Path requireTool(String name) {
        Optional<Path> tool = findOnPath(name);
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

    static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        List<String> names = windows ? List.of(name + ".exe", name + ".cmd", name) : List.of(name);
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            for (String n : names) {
                Path candidate = Paths.get(entry, n);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
