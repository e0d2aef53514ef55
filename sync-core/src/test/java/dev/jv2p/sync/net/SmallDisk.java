package dev.jv2p.sync.net;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real file system of a fixed size (a tmpfs mounted for the test; Linux, as root), which a
 * test fills to the last byte and frees again: a full disk as a node meets it, without a seam
 * in the code under test. Where it cannot be mounted the test is skipped with the reason,
 * except when the environment variable {@code CI} is set: then it fails, so a CI run never
 * passes without it (CI runs as root).
 */
final class SmallDisk implements AutoCloseable {
    private final Path mountPoint;
    private final Path filler;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler");
    }

    /** Mounts a tmpfs of {@code size} (as mount's {@code size=} option takes it) at {@code dir}. */
    static SmallDisk mount(Path dir, String size) throws IOException {
        Files.createDirectories(dir);
        String problem = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        if (problem != null) {
            String reason = "cannot mount a tmpfs for the full-disk test (" + problem + ")";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(reason + ": with CI set it must run (CI runs as root)");
            }
            Assumptions.abort(reason + "; run as root on Linux");
        }
        return new SmallDisk(dir);
    }

    Path path() {
        return mountPoint;
    }

    /** Takes every free byte with a file, until the file system says it is full. */
    void fill() {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw new UncheckedIOException(full);
            }
        }
    }

    /** Gives the space {@link #fill} took back. */
    void free() {
        try {
            Files.deleteIfExists(filler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        String problem = run("umount", "-l", mountPoint.toString());
        if (problem != null) {
            throw new IllegalStateException("cannot unmount the test's tmpfs at " + mountPoint + ": " + problem);
        }
    }

    /** Runs a command; returns why it failed, or {@code null}. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            return p.exitValue() == 0 ? null : String.join(" ", command) + ": " + output;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
