package dev.jv2p.bench.harness;

import dev.jv2p.testsupport.Js2pInstaller;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Installs the npm package {@code js2p} into a build directory (never into the source tree) with
 * {@link Js2pInstaller}, as the integration tests do, and writes the bench node script beside it.
 */
final class Js2pSetup {
    static final String VERSION = "0.7.870";
    private static final String SCRIPT = "js2p-bench-node.js";

    private Js2pSetup() {}

    /** The {@code node} executable on the PATH, if any. */
    static Optional<Path> node() {
        return Js2pInstaller.findOnPath("node");
    }

    /**
     * Makes sure js2p is installed under {@code dir} and returns the bench node script.
     *
     * @throws IllegalStateException if npm is missing or the install fails (the message says why)
     */
    static Path prepare(Path dir) throws IOException, InterruptedException {
        Path npm =
                Js2pInstaller.findOnPath("npm").orElseThrow(() -> new IllegalStateException("npm is not on the PATH"));
        Js2pInstaller.ensureJs2p(npm, dir, VERSION);
        Path script = dir.resolve(SCRIPT);
        try (InputStream in = Js2pSetup.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the benchmarks jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }
}
