package dev.jv2p.sync.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.LeaseConflictException;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How a write's outcome reaches its caller (see "Acknowledged writes" in {@link SyncSocket}).
 * A refusal the caller's thread cannot see is made with a peer's delete: the read view holds
 * no tombstones, so the lease check on the caller's thread passes, and the event loop, which
 * sees the tombstone that still holds the lease, refuses the write.
 */
class WriteOutcomeTest {
    private static final Duration T = Duration.ofSeconds(5);

    /**
     * Two joined nodes, the one with the smaller id first: its writes hold keys against the
     * other's even within the same second.
     */
    private static SyncSocket[] pair(SyncNodes nodes) {
        SyncSocket x = nodes.start();
        SyncSocket y = nodes.start();
        SyncNodes.join(y, x);
        return x.id().compareTo(y.id()) < 0 ? new SyncSocket[] {x, y} : new SyncSocket[] {y, x};
    }

    /** Nodes a and b of {@link #pair}; {@code key} was set and then deleted by a, and b has the tombstone. */
    private static SyncSocket[] deletedByA(SyncNodes nodes, String key) {
        SyncSocket[] ab = pair(nodes);
        SyncSocket a = ab[0];
        SyncSocket b = ab[1];
        a.set(key, "a's");
        await().atMost(T).until(() -> "a's".equals(b.get(key)));
        a.del(key);
        await().atMost(T).until(() -> b.status().tombstones() == 1);
        return ab;
    }

    private static Throwable failure(CompletableFuture<Void> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void anAsyncWriteCompletesWhenTheLoopHasAppliedIt() throws Exception {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            a.setAsync("k", "v").get(5, TimeUnit.SECONDS);
            assertEquals(1, a.status().writesApplied());
            assertEquals(a.id(), a.meta("k").orElseThrow().owner());
            a.applyDeltaAsync("m", Map.of("f", 1L)).get(5, TimeUnit.SECONDS);
            a.updateAsync(Map.of("x", 1L, "y", 2L)).get(5, TimeUnit.SECONDS);
            a.delAsync("k").get(5, TimeUnit.SECONDS);
            assertEquals(5, a.status().writesApplied());
            assertNull(a.get("k"));
            assertEquals(Map.of("f", 1L), a.get("m"));
        }
    }

    @Test
    void aLeaseRefusalFoundOnTheLoopFailsTheAsyncWritesFuture() throws Exception {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket b = deletedByA(nodes, "k")[1];
            LeaseConflictException e = assertInstanceOf(LeaseConflictException.class, failure(b.setAsync("k", "b's")));
            assertEquals(b.status().mesh().peers().get(0).id(), e.holder());
            assertNull(b.get("k"), "the read view shows the merged state again");
            assertEquals(1, b.status().queuedWritesRefused());
            assertEquals(0, b.status().writesApplied() - 2, "a's set and delete only");
        }
    }

    @Test
    void aSetRefusedOnTheLoopAfterItReturnedIsCountedAndUndoneInTheReadView() throws Exception {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket[] ab = deletedByA(nodes, "k");
            SyncSocket a = ab[0];
            SyncSocket b = ab[1];
            b.set("k", "b's"); // passes the check against the read view, which has no tombstones
            b.setAsync("after", true).get(5, TimeUnit.SECONDS); // the loop has run the queued set
            assertEquals(1, b.status().queuedWritesRefused());
            assertEquals(1, b.status().localLeaseConflicts());
            assertNull(b.get("k"));
            await().atMost(T).until(() -> Boolean.TRUE.equals(a.get("after")));
            assertNull(a.get("k"), "nothing was sent");
        }
    }

    /**
     * The refusal of a write whose caller has returned is logged as a warning naming the key,
     * once per key.
     */
    @Test
    void aRefusalAfterTheCallerReturnedIsWarnedOncePerKey() throws Exception {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket b = deletedByA(nodes, "k")[1];
            List<String> warnings;
            try (LogCapture log = new LogCapture()) {
                b.set("k", "b's first");
                b.set("k", "b's second");
                b.setAsync("after", true).get(5, TimeUnit.SECONDS);
                warnings = log.warnings();
            }
            assertEquals(2, b.status().queuedWritesRefused());
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(
                    warnings.get(0).contains("refused on the event loop")
                            && warnings.get(0).contains("k"),
                    warnings.get(0));
        }
    }

    @Test
    void anUpdateRefusedOnTheLoopWritesNoneOfItsKeys() throws Exception {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket b = deletedByA(nodes, "k")[1];
            Map<String, Object> entries = new LinkedHashMap<>();
            entries.put("free", 1L);
            entries.put("k", 2L);
            assertInstanceOf(LeaseConflictException.class, failure(b.updateAsync(entries)));
            assertNull(b.get("free"));
            assertNull(b.get("k"));
            assertEquals(0, b.status().writesApplied() - 2);
        }
    }

    @Test
    void aLeaseRefusalTheCallersThreadSeesFailsTheFutureAtOnce() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket[] ab = pair(nodes);
            SyncSocket a = ab[0];
            SyncSocket b = ab[1];
            a.set("k", "a's");
            await().atMost(T).until(() -> "a's".equals(b.get("k")));
            CompletableFuture<Void> f = b.setAsync("k", "b's");
            assertTrue(f.isCompletedExceptionally());
            assertThrows(LeaseConflictException.class, () -> b.set("k", "b's"));
            assertInstanceOf(LeaseConflictException.class, f.handle((v, e) -> e).join());
            assertEquals(0, b.status().queuedWritesRefused(), "refused before anything was queued");
        }
    }

    @Test
    void aDeltaOntoAValueThatIsNotAMapFailsItsFutureWithTheReason() throws Exception {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            a.set("plain", "text");
            Throwable e = failure(a.applyDeltaAsync("plain", Map.of("f", 1L)));
            assertInstanceOf(IllegalArgumentException.class, e);
            assertTrue(e.getMessage().contains("not a mapping"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> a.applyDelta("plain", Map.of("f", 1L)));
            assertEquals("text", a.get("plain"));
        }
    }

    @Test
    void argumentsThatCannotBeCarriedAreRefusedOnTheCallersThread() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            assertThrows(IllegalArgumentException.class, () -> a.setAsync(42, "v"));
            assertThrows(IllegalArgumentException.class, () -> a.setAsync("k", new Object()));
            assertThrows(IllegalArgumentException.class, () -> a.updateAsync(Map.of("k", new Object())));
            assertEquals(0, a.size());
        }
    }
}
