package dev.jv2p.transport.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.Durability;
import dev.jv2p.sync.SyncSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS node with a data directory keeps the owners' proofs, so after a restart it still passes writes on. */
class TlsDurableTest {
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private TlsTransport tls(String name) {
        return TlsTransport.builder().keyFile(dir.resolve(name + ".key")).build();
    }

    @Test
    void aRestartedNodeForwardsItsPeersSignedWritesToAJoinerWhileThoseOwnersAreGone() {
        Path data = dir.resolve("data");
        try (TlsNodes nodes = TlsNodes.inMemory()) {
            try (TlsNodes gone = TlsNodes.inMemory()) {
                SyncSocket owner = gone.sync(tls("owner"));
                SyncSocket keeper = gone.sync(tls("keeper"), m -> m, s -> s.dataDirectory(data));
                gone.join(keeper, owner);
                owner.set("from-owner", "1");
                owner.applyDelta("map", Map.of("x", 1L));
                keeper.set("from-keeper", "2");
                await().atMost(T).until(() -> keeper.size() == 3 && owner.size() == 3);
            } // both stop; only the keeper's data directory remains

            SyncSocket keeper = nodes.sync(tls("keeper"), m -> m, s -> s.dataDirectory(data));
            assertEquals(3, keeper.size());
            SyncSocket joiner = nodes.sync(tls("joiner"));
            nodes.join(joiner, keeper);
            await().atMost(T).until(() -> joiner.size() == 3);
            assertEquals(Map.of("x", 1L), joiner.get("map"));
            assertEquals(0, joiner.rejectedMessages(), "every write came with its owner's proof");
        }
    }

    /**
     * A write is logged and acknowledged before the batch it belongs to is signed; a node
     * killed in between came back holding its own writes without proofs, which every peer
     * refused ("lacks a valid owner signature"), so the mesh never converged.
     */
    @Test
    void aNodeKilledMidBurstComesBackWithProofsOfEveryAcknowledgedWrite() throws Exception {
        Path key = dir.resolve("writer.key");
        Path data = dir.resolve("writer-data");
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(
                        javaBin,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        TlsCrashWriter.class.getName(),
                        key.toString(),
                        data.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long lastAck = -1;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (lastAck < 300 && (line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    lastAck = Long.parseLong(line.substring(4));
                }
            }
            child.destroyForcibly(); // SIGKILL, while it goes on writing
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertEquals(300, lastAck, "the child wrote until killed");

        try (TlsNodes nodes = TlsNodes.inMemory()) {
            SyncSocket writer = nodes.sync(
                    TlsTransport.builder().keyFile(key).build(),
                    m -> m,
                    s -> s.dataDirectory(data).durability(Durability.ALWAYS));
            for (long i = 0; i <= lastAck; i++) {
                assertEquals(i, writer.get("k" + i), "acknowledged write of k" + i);
            }
            SyncSocket joiner = nodes.sync(tls("joiner"));
            nodes.join(joiner, writer);
            await().atMost(T).until(() -> joiner.size() == writer.size());
            assertEquals(0, joiner.rejectedMessages(), "every write came with its owner's proof");
        }
    }
}
