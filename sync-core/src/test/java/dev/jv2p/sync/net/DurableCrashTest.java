package dev.jv2p.sync.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.sync.Durability;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node process killed ({@code destroyForcibly}, SIGKILL) in the middle of a burst of writes
 * loses none that were acknowledged: a restarted node on the same directory holds each one.
 */
class DurableCrashTest {
    private static final int ACKS_BEFORE_KILL = 400;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = Durability.class,
            names = {"ALWAYS", "GROUP_COMMIT"})
    void aKilledNodeKeepsEveryAcknowledgedWrite(Durability mode) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(
                        javaBin,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        CrashWriter.class.getName(),
                        dir.toString(),
                        mode.name())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long lastAck = -1;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    lastAck = Long.parseLong(line.substring(4));
                    if (lastAck >= ACKS_BEFORE_KILL) {
                        break;
                    }
                }
            }
            child.destroyForcibly(); // while it goes on writing
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertEquals(ACKS_BEFORE_KILL, lastAck, "the child wrote until killed");

        try (SyncSocket restarted = SyncSocket.start(SyncConfig.builder()
                .mesh(MeshConfig.builder().bindHost("127.0.0.1").port(0).build())
                .dataDirectory(dir)
                .durability(mode)
                .build())) {
            List<String> lost = new ArrayList<>();
            for (long i = 0; i <= lastAck; i++) {
                boolean deleted = i % 7 == 2 && i + 1 <= lastAck;
                Object expected = deleted ? null : (Object) i;
                if (!Objects.equals(expected, restarted.get("k" + i))) {
                    lost.add("k" + i);
                }
            }
            assertEquals(List.of(), lost, "acknowledged writes missing after the kill");
        }
    }
}
