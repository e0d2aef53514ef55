package dev.jv2p.bench.harness;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Installs the npm package {@code js2p} into a build directory (never into the source tree) and
 * writes the bench node script beside it. As the integration tests do: {@code npm install
 * js2p@VERSION --prefix DIR} inside a private {@code package.json}, no lockfile, no audit; a
 * marker file makes later runs skip npm.
 */
final class Js2pSetup {
    static final String VERSION = "0.7.870";
    private static final String MARKER = ".jv2p-js2p-installed";
    private static final String SCRIPT = "js2p-bench-node.js";

    private Js2pSetup() {}

    /** The {@code node} executable on the PATH, if any. */
    static Optional<Path> node() {
        return onPath("node");
    }

    /**
     * Makes sure js2p is installed under {@code dir} and returns the bench node script.
     *
     * @throws IllegalStateException if npm is missing or the install fails (the message says why)
     */
    static Path prepare(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path marker = dir.resolve(MARKER);
        boolean installed = Files.isRegularFile(marker)
                && Files.readString(marker).trim().equals(VERSION)
                && Files.isRegularFile(dir.resolve("node_modules/js2p/package.json"));
        if (!installed) {
            install(dir);
            Files.writeString(marker, VERSION);
        }
        Path script = dir.resolve(SCRIPT);
        try (InputStream in = Js2pSetup.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the benchmarks jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }

    private static void install(Path dir) throws IOException, InterruptedException {
        Path npm = onPath("npm").orElseThrow(() -> new IllegalStateException("npm is not on the PATH"));
        // A private package.json makes dir the npm project root: npm never looks further up.
        Files.writeString(
                dir.resolve("package.json"),
                "{\"name\": \"jv2p-bench-js2p\", \"private\": true}\n",
                StandardCharsets.UTF_8);
        Path log = dir.resolveSibling("js2p-npm-install.log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        npm.toString(),
                        "install",
                        "js2p@" + VERSION,
                        "--prefix",
                        dir.toString(),
                        "--no-save",
                        "--no-package-lock",
                        "--no-audit",
                        "--no-fund",
                        "--loglevel=warn"))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("npm_config_update_notifier", "false");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException("npm install js2p@" + VERSION + " timed out; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    "npm install js2p@" + VERSION + " failed (exit " + p.exitValue() + "); see " + log);
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
