package dev.jv2p.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the installer against a stand-in {@code npm} (a shell script), a real child process. */
class Js2pInstallerTest {
    @TempDir
    Path tmp;

    /** An "npm" that records each call and installs {@code js2p@V} as {@code version}, or as V if null. */
    private Path fakeNpm(String version, int exitCode) throws IOException {
        Path npm = tmp.resolve("bin").resolve("npm");
        Files.createDirectories(npm.getParent());
        String v = version == null ? "${2#js2p@}" : version;
        Files.writeString(
                npm,
                "#!/bin/sh\n"
                        + "echo \"$@\" >> \"" + tmp.resolve("npm-calls") + "\"\n"
                        + "echo npm says hello\n"
                        + "mkdir -p \"$4/node_modules/js2p\"\n"
                        + "printf '{\"name\": \"js2p\", \"version\": \"%s\"}' \"" + v
                        + "\" > \"$4/node_modules/js2p/package.json\"\n"
                        + "exit " + exitCode + "\n");
        assertTrue(npm.toFile().setExecutable(true));
        return npm;
    }

    private long npmCalls() throws IOException {
        Path calls = tmp.resolve("npm-calls");
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    @Test
    void js2pIsInstalledIntoThePrivatePrefixOnceAndThenTrusted() throws Exception {
        Path npm = fakeNpm(null, 0);
        Path dir = tmp.resolve("build").resolve("js2p");

        assertEquals(dir, Js2pInstaller.ensureJs2p(npm, dir, "0.7.870"));
        Js2pInstaller.ensureJs2p(npm, dir, "0.7.870");

        assertEquals(Optional.of("0.7.870"), Js2pInstaller.installedVersion(dir));
        assertEquals(1, npmCalls(), "the second call found the verified install");
        assertTrue(Files.readString(dir.resolve("package.json")).contains("\"private\": true"));
        assertTrue(Files.readString(tmp.resolve("npm-calls")).startsWith("install js2p@0.7.870 --prefix " + dir));
    }

    @Test
    void askingForAnotherVersionInstallsAgain() throws Exception {
        Path npm = fakeNpm(null, 0);
        Path dir = tmp.resolve("js2p");
        Js2pInstaller.ensureJs2p(npm, dir, "0.7.870");

        Js2pInstaller.ensureJs2p(npm, dir, "0.7.871");

        assertEquals(Optional.of("0.7.871"), Js2pInstaller.installedVersion(dir));
        assertEquals(2, npmCalls());
    }

    @Test
    void anInstallThatReportsAnotherVersionIsAnError() throws Exception {
        Path npm = fakeNpm("0.0.1", 0);

        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> Js2pInstaller.ensureJs2p(npm, tmp.resolve("js2p"), "0.7.870"));

        assertTrue(e.getMessage().contains("reports version 0.0.1, expected 0.7.870"), e.getMessage());
    }

    @Test
    void aFailingNpmIsAnErrorThatQuotesItsLog() throws Exception {
        Path npm = fakeNpm(null, 3);

        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> Js2pInstaller.ensureJs2p(npm, tmp.resolve("js2p"), "0.7.870"));

        assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("npm says hello"), e.getMessage());
    }

    @Test
    void onlyExecutableFilesOnThePathAreFound() throws Exception {
        Path npm = fakeNpm(null, 0);
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("node"), "not executable");
        String path = other + File.pathSeparator + npm.getParent();

        assertEquals(Optional.of(npm), Js2pInstaller.findOnPath("npm", path));
        assertEquals(Optional.empty(), Js2pInstaller.findOnPath("node", path));
        assertEquals(Optional.empty(), Js2pInstaller.findOnPath("npm", null));
    }
}
