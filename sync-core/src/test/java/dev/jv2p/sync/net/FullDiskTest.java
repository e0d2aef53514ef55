package dev.jv2p.sync.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.Message;
import dev.jv2p.sync.SyncException;
import dev.jv2p.sync.SyncSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable node whose disk fills up, on a real file system of 2 MiB ({@link SmallDisk}):
 * local writes fail with a clear error, reads go on, a peer's writes the node could not log
 * are not applied, and anti-entropy fetches them once space returns, into the log.
 */
class FullDiskTest {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void onAFullDiskWritesFailClearlyReadsGoOnAndPeersWritesAreFetchedOnceSpaceReturns() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), "2m");
                SyncNodes nodes = new SyncNodes()) {
            Path data = disk.path().resolve("node");
            SyncSocket a = nodes.start(s -> s.dataDirectory(data), m -> m);
            SyncSocket b = nodes.start();
            SyncNodes.join(a, b);
            a.setAsync("before", "kept").join();
            await().atMost(T).until(() -> "kept".equals(b.get("before")));

            disk.fill();
            Throwable refused = null;
            String value = "v".repeat(1000);
            for (int i = 0; i < 10_000 && refused == null; i++) { // until the page the log has is used up
                refused = a.setAsync("filling" + i, value).handle((v, e) -> e).join();
            }
            assertNotNull(refused, "a write fails once the disk is full");
            String expected = "cannot write the log in " + data + " (No space left on device; is the disk full?)";
            assertTrue(refused.getMessage().startsWith(expected), refused.getMessage());

            SyncException now = assertThrows(SyncException.class, () -> a.set("refused", "no"));
            assertTrue(now.getMessage().startsWith(expected), now.getMessage());
            assertNull(a.get("refused"), "a refused write is not shown");
            assertEquals("kept", a.get("before"), "reads go on");

            b.setAsync("fromPeer", "b's").join();
            b.mesh().whisper(a.id(), List.of("after fromPeer")); // on the same link, behind the write
            Message marker = a.mesh().recv(T);
            assertEquals("after fromPeer", marker.packets().get(marker.packets().size() - 1));
            assertNull(a.get("fromPeer"), "a peer's write that cannot be logged is not applied");

            disk.free();
            await().atMost(T).until(() -> "b's".equals(a.get("fromPeer"))); // fetched by anti-entropy
            await().atMost(T)
                    .until(() -> a.setAsync("after", "ok")
                            .handle((v, e) -> e == null)
                            .join());
            a.close();

            SyncSocket again = nodes.start(s -> s.dataDirectory(data), m -> m);
            assertEquals("b's", again.get("fromPeer"), "the fetched write was logged");
            assertEquals("kept", again.get("before"));
            assertEquals("ok", again.get("after"));
            assertNull(again.get("refused"));
            again.close();
        }
    }
}
