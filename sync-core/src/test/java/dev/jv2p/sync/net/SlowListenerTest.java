package dev.jv2p.sync.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.MetaTuple;
import dev.jv2p.sync.SyncListener;
import dev.jv2p.sync.SyncSocket;
import dev.jv2p.sync.SyncStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A listener that blocks does not stall the node: writes keep being applied, the events
 * waiting for it stay bounded (each key's coalesced to its latest past 65,536), and once it
 * is released it sees each key's events in order and ends with every key's current state.
 */
class SlowListenerTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static final int KEYS = 100;
    private static final int ROUNDS = 800; // 80,000 changes, more than the bound

    @Test
    void aBlockedListenerNeitherStallsTheLoopNorMissesTheLatestStateOfAnyKey() throws Exception {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            CountDownLatch release = new CountDownLatch(1);
            Map<Key, Object> lastSeen = new ConcurrentHashMap<>();
            AtomicReference<String> outOfOrder = new AtomicReference<>();
            a.addListener(new SyncListener() {
                @Override
                public void onUpdate(SyncSocket s, Key key, Object value, MetaTuple meta) {
                    awaitRelease(release);
                    Object before = lastSeen.put(key, value);
                    if (before instanceof Long b && value instanceof Long v && b >= v) {
                        outOfOrder.compareAndSet(null, key + ": " + b + " then " + v);
                    }
                }

                @Override
                public void onDelete(SyncSocket s, Key key) {
                    awaitRelease(release);
                    lastSeen.put(key, "deleted");
                }
            });
            for (long round = 0; round < ROUNDS; round++) {
                for (int k = 0; k < KEYS; k++) {
                    a.set("k" + k, round);
                }
            }
            a.del("k0"); // an update then a delete of one key: the listener must end with the delete
            a.setAsync("done", true).get(30, TimeUnit.SECONDS); // the loop applied every write before it

            SyncStatus blocked = a.status();
            assertTrue(blocked.listenerEventsPending() <= 65_536, blocked.toString());
            assertTrue(blocked.listenerEventsCoalesced() > 0, blocked.toString());
            assertEquals(KEYS * ROUNDS + 2, blocked.writesApplied());

            release.countDown();
            await().atMost(T).until(() -> Boolean.TRUE.equals(lastSeen.get(Key.of("done"))));
            assertEquals(null, outOfOrder.get(), "each key's events arrive in order");
            assertEquals("deleted", lastSeen.get(Key.of("k0")));
            for (int k = 1; k < KEYS; k++) {
                assertEquals(a.get("k" + k), lastSeen.get(Key.of("k" + k)), "k" + k);
            }
            assertEquals(0, a.status().listenerEventsPending());
        }
    }

    private static void awaitRelease(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
