package dev.jv2p.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.internal.Change;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * {@link ListenerQueue} with a callback executor the test runs by hand, so the listeners fall
 * behind exactly when the test says.
 */
class ListenerQueueTest {
    private final Queue<Runnable> callbackTasks = new ArrayDeque<>();
    private final List<Change> delivered = new ArrayList<>();

    private ListenerQueue queue(int bound) {
        return new ListenerQueue(bound, callbackTasks::add, delivered::add, "test-node");
    }

    private static Change update(String key, long value) {
        return new Change.Update(Key.of(key), value, new MetaTuple("owner", 1));
    }

    private static Change delete(String key) {
        return new Change.Delete(Key.of(key));
    }

    private void runCallbacks() {
        for (Runnable r = callbackTasks.poll(); r != null; r = callbackTasks.poll()) {
            r.run();
        }
    }

    @Test
    void belowTheBoundEveryEventIsDeliveredInOrder() {
        ListenerQueue q = queue(4);
        List<Change> added = List.of(update("a", 1), update("a", 2), delete("a"), update("b", 1));
        added.forEach(q::add);
        assertEquals(4, q.pending());
        runCallbacks();
        assertEquals(added, delivered);
        assertEquals(0, q.coalesced());
        assertEquals(0, q.pending());
    }

    @Test
    void pastTheBoundEachKeyKeepsOnlyItsLatestEventInThePlaceOfItsFirst() {
        ListenerQueue q = queue(3);
        q.add(update("a", 1));
        q.add(update("b", 1));
        q.add(update("a", 2));
        q.add(update("c", 1)); // the fourth: a's first event is replaced by its second
        q.add(delete("a")); // an update then a delete of one key leaves the delete
        q.add(update("b", 2));
        assertEquals(3, q.pending(), "one event per key");
        assertEquals(3, q.coalesced());
        runCallbacks();
        assertEquals(List.of(delete("a"), update("b", 2), update("c", 1)), delivered);
        assertEquals(0, q.pending());
    }

    @Test
    void aDeliveryTaskIsQueuedOnlyWhenMoreEventsWait() {
        ListenerQueue q = queue(2);
        for (int i = 0; i < 1000; i++) {
            q.add(update("k" + (i % 3), i));
        }
        assertEquals(3, q.pending());
        assertTrue(callbackTasks.size() <= 3, callbackTasks.size() + " tasks queued for 3 waiting events");
        runCallbacks();
        assertEquals(List.of(update("k0", 999), update("k1", 997), update("k2", 998)), delivered);
    }

    @Test
    void onceTheListenersCaughtUpEveryEventIsDeliveredAgain() {
        ListenerQueue q = queue(1);
        q.add(update("a", 1));
        q.add(update("a", 2));
        runCallbacks();
        delivered.clear();
        q.add(update("a", 3));
        runCallbacks(); // one at a time: the listeners keep up
        q.add(update("a", 4));
        runCallbacks();
        assertEquals(List.of(update("a", 3), update("a", 4)), delivered);
        assertEquals(1, q.coalesced());
    }

    @Test
    void aBoundBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> queue(0));
        assertTrue(e.getMessage().contains("bound"), e.getMessage());
    }
}
