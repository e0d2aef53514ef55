package dev.jv2p.sync.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * When this node's writes leave it: a write queued alone goes out in the loop task that applies
 * it, while writes queued behind one another share frames.
 */
class WriteFlushTest {
    private static final Duration T = Duration.ofSeconds(5);

    @Test
    void aWriteQueuedAloneIsSentBeforeItsFutureCompletes() throws Exception {
        try (SyncNodes nodes = SyncNodes.overLoopbackTcp()) {
            SyncSocket a = nodes.start();
            SyncSocket b = nodes.start();
            joinedAsJv2p(a, b);
            LayerContext loop = a.mesh().layerContext();
            CountDownLatch release = new CountDownLatch(1);
            AtomicLong before = new AtomicLong(-1);
            AtomicLong atCompletion = new AtomicLong(-1);

            // The loop runs these in order: wait, read the frame count, apply the write.
            loop.execute(() -> awaitQuietly(release));
            loop.execute(() -> before.set(a.mesh().stats().framesOut()));
            CompletableFuture<Void> written = a.setAsync("k", "v");
            CompletableFuture<Void> seen =
                    written.thenRun(() -> atCompletion.set(a.mesh().stats().framesOut()));
            release.countDown();
            seen.get(5, TimeUnit.SECONDS);

            assertTrue(atCompletion.get() > before.get(), "the write's frame to b was sent before it completed");
            await().atMost(T).until(() -> "v".equals(b.get("k")));
        }
    }

    @Test
    void writesQueuedBehindOneAnotherShareFrames() throws Exception {
        try (SyncNodes nodes = SyncNodes.overLoopbackTcp()) {
            SyncSocket a = nodes.start();
            SyncSocket b = nodes.start();
            joinedAsJv2p(a, b);
            LayerContext loop = a.mesh().layerContext();
            CountDownLatch release = new CountDownLatch(1);
            AtomicLong before = new AtomicLong(-1);
            AtomicLong after = new AtomicLong(-1);
            int writes = 50;

            loop.execute(() -> awaitQuietly(release));
            loop.execute(() -> before.set(a.mesh().stats().framesOut()));
            CompletableFuture<Void> last = null;
            for (int i = 0; i < writes; i++) {
                last = a.setAsync("k" + i, "v");
            }
            release.countDown();
            last.get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> counted = new CompletableFuture<>();
            loop.execute(() -> {
                after.set(a.mesh().stats().framesOut());
                counted.complete(null);
            });
            counted.get(5, TimeUnit.SECONDS);

            long frames = after.get() - before.get();
            // All but the last are sent in the loop turn's batch; the last, with nothing queued
            // behind it, at once: far fewer frames than writes (digests may add one or two).
            assertTrue(frames <= 5, frames + " frames for " + writes + " writes");
            await().atMost(T).until(() -> b.containsKey("k" + (writes - 1)));
        }
    }

    /**
     * Joins b to a and waits until each has heard from the other: until a knows b as a jv2p
     * peer, a write batch would be sent to b as single writes.
     */
    private static void joinedAsJv2p(SyncSocket a, SyncSocket b) {
        SyncNodes.join(b, a);
        a.set("from-a", "x");
        b.set("from-b", "x");
        await().atMost(T).until(() -> a.containsKey("from-b") && b.containsKey("from-a"));
        await().atMost(T).until(() -> a.mesh().routingTable().values().stream().allMatch(p -> p.jv2p()));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the loop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
