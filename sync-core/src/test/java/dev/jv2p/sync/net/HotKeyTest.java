package dev.jv2p.sync.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.testkit.TestMesh;
import dev.jv2p.mesh.testkit.VirtualTime;
import dev.jv2p.sync.MetaTuple;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import dev.jv2p.sync.SyncStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's hot-key acceptance through the API: three (or five) nodes on an emulated network in
 * virtual time, one key written as fast as a loop can. Every write is applied, nothing is
 * refused or rejected on any node, and nothing is logged at WARN.
 */
class HotKeyTest {
    private static final Duration T = Duration.ofSeconds(30);

    /** {@code n} nodes on {@code mesh}, each joined to the first. */
    private static List<SyncSocket> mesh(TestMesh mesh, int n, UnaryOperator<SyncConfig.Builder> sync) {
        List<SyncSocket> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(SyncNodes.start(mesh, "n" + i, Protocol.DEFAULT_CODEC, sync, m -> m));
            if (i > 0) {
                mesh.joinAndAwait(all.get(i).mesh(), all.get(0).mesh());
            }
        }
        return all;
    }

    private static void assertNothingRefused(List<SyncSocket> all) {
        for (SyncSocket s : all) {
            SyncStatus st = s.status();
            assertEquals(0, st.queuedWritesRefused(), s + ": " + st);
            assertEquals(0, st.localLeaseConflicts(), s + ": " + st);
            assertEquals(0, st.leaseRefusals(), s + ": " + st);
            assertEquals(0, st.rejectedMessages(), s + ": " + st);
        }
    }

    @Test
    void tenThousandSetsOfOneKeyInATightLoopLeaveTheLastValueOnEveryNode() {
        try (TestMesh mesh = TestMesh.virtual()) {
            VirtualTime time = mesh.time();
            List<SyncSocket> all = mesh(mesh, 3, b -> b);
            SyncSocket writer = all.get(1);
            try (LogCapture log = new LogCapture()) {
                for (long i = 1; i <= 10_000; i++) {
                    writer.set("hot", i);
                }
                for (SyncSocket s : all) {
                    time.advanceUntil(() -> Long.valueOf(10_000).equals(s.get("hot")), T);
                    assertEquals(writer.meta("hot"), s.meta("hot"));
                }
                assertNothingRefused(all);
                assertEquals(List.of(), log.warnings());
            }
        }
    }

    @Test
    void fourHundredDeltasInARowOnOneMapKeyLeaveEveryFieldOnEveryNode() {
        try (TestMesh mesh = TestMesh.virtual()) {
            VirtualTime time = mesh.time();
            List<SyncSocket> all = mesh(mesh, 3, b -> b);
            SyncSocket writer = all.get(2);
            Map<String, Object> expected = new HashMap<>();
            try (LogCapture log = new LogCapture()) {
                // queued without a wait for the loop after each (which on a busy machine costs a
                // thread switch per delta and no work); the last one waits, and as the writes of
                // one thread are applied in order, all before it have been applied by then
                List<CompletableFuture<Void>> outcomes = new ArrayList<>();
                for (long i = 0; i < 399; i++) {
                    outcomes.add(writer.applyDeltaAsync("fields", Map.of("f" + i, i)));
                    expected.put("f" + i, i);
                }
                writer.applyDelta("fields", Map.of("f399", 399L));
                expected.put("f399", 399L);
                for (CompletableFuture<Void> outcome : outcomes) {
                    assertTrue(outcome.isDone() && !outcome.isCompletedExceptionally(), outcome.toString());
                }
                assertEquals(expected, writer.get("fields"));
                for (SyncSocket s : all) {
                    time.advanceUntil(() -> expected.equals(s.get("fields")), T);
                }
                assertNothingRefused(all);
                assertEquals(List.of(), log.warnings());
            }
        }
    }

    /**
     * With leasing off, five writers race on one key; the newest stamp wins (a same-second tie:
     * the smaller owner id, so a larger id's write in a second a smaller one wrote in is
     * refused, and its future says so). The state must be identical everywhere, equal to the
     * last acknowledged write of its owner, and stay so across two more anti-entropy rounds on
     * every node (a write still in flight would change it).
     */
    @Test
    void fiveNodesWritingOneKeyAtOnceWithoutLeasingAgreeOnOneWritersLastWrite() throws Exception {
        int writes = 500;
        try (TestMesh mesh = TestMesh.virtual()) {
            VirtualTime time = mesh.time();
            List<SyncSocket> all = mesh(mesh, 5, b -> b.leasing(false));
            Map<String, String> lastAcknowledged = new java.util.concurrent.ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(all.size());
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (SyncSocket s : all) {
                    done.add(pool.submit(() -> {
                        go.await();
                        List<CompletableFuture<Void>> outcomes = new ArrayList<>();
                        for (int i = 0; i < writes; i++) {
                            outcomes.add(s.setAsync("contested", s.id() + "#" + i));
                        }
                        for (int i = writes - 1; i >= 0; i--) {
                            if (outcomes.get(i).handle((v, e) -> e == null).join()) {
                                lastAcknowledged.put(s.id(), s.id() + "#" + i);
                                break;
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdown();
            }
            time.advanceUntil(() -> agreed(all).isPresent(), T);
            Object value = all.get(0).get("contested");
            MetaTuple meta = all.get(0).meta("contested").orElseThrow();
            assertEquals(
                    lastAcknowledged.get(meta.owner()), value, "the winner is its owner's last acknowledged write");
            for (SyncSocket s : all) {
                long rounds = s.status().antiEntropyRounds();
                time.advanceUntil(() -> s.status().antiEntropyRounds() >= rounds + 2, T);
            }
            assertEquals(Optional.of(List.of(value, meta)), agreed(all), "still the same after two more rounds");
            for (SyncSocket s : all) {
                assertEquals(0, s.status().rejectedMessages());
            }
        }
    }

    /** The value and metadata of "contested" if every node holds the same. */
    private static Optional<List<Object>> agreed(List<SyncSocket> all) {
        Object v = all.get(0).get("contested");
        Optional<MetaTuple> m = all.get(0).meta("contested");
        for (SyncSocket s : all) {
            if (!Objects.equals(v, s.get("contested")) || !m.equals(s.meta("contested"))) {
                return Optional.empty();
            }
        }
        return m.map(meta -> List.of(v, meta));
    }
}
