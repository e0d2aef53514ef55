package dev.jv2p.sync.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.sync.Durability;
import dev.jv2p.sync.SyncSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes with a data directory, on loopback: what a restarted node keeps and what it fetches. */
class DurableNodeTest {
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static SyncSocket durable(SyncNodes nodes, Path dir, int port, Durability mode) {
        return nodes.start(s -> s.dataDirectory(dir).durability(mode), m -> m.port(port));
    }

    @Test
    void aRestartedNodeKeepsItsKeysAndLeasesAndFetchesOnlyWhatItMissed() {
        // on loopback TCP, so that the restarted node binds its old address: a plaintext id is
        // computed from the address and the salt kept in the data directory
        try (SyncNodes nodes = SyncNodes.overLoopbackTcp()) {
            SyncSocket a = nodes.start();
            SyncSocket b = nodes.start();
            SyncSocket c = durable(nodes, dir, 0, Durability.GROUP_COMMIT);
            SyncNodes.join(b, a);
            SyncNodes.join(c, a);
            for (int i = 0; i < 50; i++) {
                a.set("k" + i, "v" + i);
            }
            c.set("mine", "c's");
            c.applyDelta("map", Map.of("x", 1L));
            await().atMost(T).until(() -> b.size() == 52 && c.size() == 52 && a.size() == 52);
            String id = c.id();
            int port = c.mesh().localAddress().getPort();
            c.close();

            b.set("new1", 1L);
            b.set("new2", 2L);
            a.del("k0");
            await().atMost(T).until(() -> a.size() == 53 && b.size() == 53);

            SyncSocket back = durable(nodes, dir, port, Durability.GROUP_COMMIT);
            assertEquals(id, back.id(), "the same id, kept in the data directory");
            assertEquals(52, back.size(), "everything it held, before it meets a peer");
            assertEquals(Map.of("x", 1L), back.get("map"));
            long replayed = back.status().writesApplied();

            SyncNodes.join(back, a);
            await().atMost(T).until(() -> back.size() == 53 && back.get("new2") != null && back.get("k0") == null);
            long fetched = back.status().writesApplied() - replayed;
            assertTrue(fetched >= 3 && fetched <= 6, "only the 3 missed writes are fetched, not 53 keys: " + fetched);

            back.set("mine", "still c's"); // its lease survived the restart
            await().atMost(T).until(() -> "still c's".equals(a.get("mine")));
        }
    }

    /**
     * A node that meets two peers on rejoin receives the changed keys from each at most once:
     * the bytes it receives stay under twice the changed entries' size plus the digests.
     */
    @Test
    void aNodeRejoiningTwoPeersReceivesOnlyTheChangedKeys() {
        String big = "x".repeat(2000);
        try (SyncNodes nodes = SyncNodes.overLoopbackTcp()) {
            SyncSocket a = nodes.start();
            SyncSocket b = nodes.start();
            SyncSocket c = durable(nodes, dir, 0, Durability.GROUP_COMMIT);
            SyncNodes.join(b, a);
            SyncNodes.join(c, a); // c finds b through a's peers list
            await().atMost(T).until(() -> c.mesh().routingTable().size() == 2);
            for (int i = 0; i < 400; i++) {
                a.set("k" + i, i + big);
            }
            await().atMost(T).until(() -> b.size() == 400 && c.size() == 400);
            int port = c.mesh().localAddress().getPort();
            c.close();

            // 100 keys change while c is down: 50 written again, 50 new. A history carries the
            // writes of the retention, so a key written again travels with its old value too.
            for (int i = 0; i < 100; i++) {
                a.set(i < 50 ? "k" + i : "new" + i, "changed " + i + big);
            }
            await().atMost(T).until(() -> String.valueOf(b.get("new99")).startsWith("changed"));
            long changedBytes = 100L * (big.length() + 20);

            SyncSocket back = durable(nodes, dir, port, Durability.GROUP_COMMIT);
            SyncNodes.join(back, a); // and b through a's peers list
            await().atMost(T).until(() -> back.mesh().routingTable().size() == 2);
            await().atMost(T).until(() -> {
                for (int i = 0; i < 100; i++) {
                    if (!String.valueOf(back.get(i < 50 ? "k" + i : "new" + i)).startsWith("changed")) {
                        return false;
                    }
                }
                return true;
            });
            // two more anti-entropy rounds with both peers: what they would still send counts
            long rounds = back.status().antiEntropyRounds();
            await().atMost(T).until(() -> back.status().antiEntropyRounds() >= rounds + 2);
            long received = back.mesh().stats().bytesIn();
            System.out.printf("rejoin: received %d bytes for %d bytes of changed entries%n", received, changedBytes);
            assertTrue(
                    received <= 2 * changedBytes + 64 * 1024,
                    "received " + received + " bytes for " + changedBytes + " bytes of changed entries");
        }
    }

    @Test
    void inModeAlwaysAWriteReturnsOnDiskAndTheLoopMustUseTheAsyncForm() throws Exception {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket node = durable(nodes, dir, 0, Durability.ALWAYS);
            node.set("sync", 1L);
            node.del("absent");
            node.applyDelta("delta", Map.of("d", 2L));
            CompletableFuture<Throwable> onLoop = new CompletableFuture<>();
            CompletableFuture<Void> async = new CompletableFuture<>();
            node.mesh().layerContext().execute(() -> {
                try {
                    node.set("loop", 2L);
                    onLoop.complete(null);
                } catch (IllegalStateException e) {
                    onLoop.complete(e);
                }
                node.setAsync("async", 3L).whenComplete((v, e) -> async.complete(null));
            });
            assertTrue(onLoop.get().getMessage().contains("use the async form"));
            async.get();
            assertEquals(1L, node.pop("sync"));
            node.close();

            SyncSocket again = durable(nodes, dir, 0, Durability.ALWAYS);
            assertNull(again.get("sync"));
            assertNull(again.get("loop"));
            assertEquals(3L, again.get("async"));
            assertEquals(Map.of("d", 2L), again.get("delta"));
        }
    }

    @Test
    void theRecordsOfWritesQueuedTogetherAreWrittenTogetherAfterThem() throws Exception {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket node = durable(nodes, dir, 0, Durability.GROUP_COMMIT);
            LayerContext loop = node.mesh().layerContext();
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> awaitQuietly(release)); // the writes below queue up behind this
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                writes.add(node.setAsync("k" + i, (long) i));
            }
            long before = logBytes();
            CompletableFuture<long[]> afterTheWrites = new CompletableFuture<>();
            loop.execute(() -> afterTheWrites.complete(new long[] {
                logBytes(), writes.stream().filter(CompletableFuture::isDone).count()
            }));
            release.countDown();

            long[] seen = afterTheWrites.get(10, TimeUnit.SECONDS);
            assertEquals(before, seen[0], "the three writes applied, their records still waiting");
            assertEquals(0, seen[1], "no write acknowledged before its record is written");
            CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
            assertTrue(logBytes() > before, "the three records written by the task queued behind them");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bytes of the log's segments in the data directory. */
    private long logBytes() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void twoNodesCannotShareADataDirectory() {
        try (SyncNodes nodes = new SyncNodes()) {
            durable(nodes, dir, 0, Durability.OS);
            Exception e = assertThrows(RuntimeException.class, () -> durable(nodes, dir, 0, Durability.OS));
            assertTrue(e.getMessage().contains("is in use by another jv2p node"), e.getMessage());
        }
    }
}
