package dev.jv2p.sync;

import dev.jv2p.sync.internal.Change;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes waiting for a node's listeners, bounded without stalling the event loop and
 * without losing the latest state of any key.
 *
 * <p>The event loop adds each change ({@link #add}); every change is delivered, in order, by a
 * task on the callback executor. When {@code bound} changes are pending (the listeners fall
 * behind), the queue switches to coalescing: from then on a key has at most one pending change,
 * its latest (an update then a delete of one key leaves the delete), kept at the place of the
 * key's first pending change, until the listeners have caught up. So each key's changes still
 * arrive in order and end with its current state, the loop never waits, and memory is at most
 * {@code bound} changes or one change per key changed since the listeners fell behind,
 * whichever is more. Coalesced changes are counted; the first switch is logged once.
 *
 * <p>Thread safety: {@link #add} runs on the event loop, delivery on the callback executor; both
 * hold this object's lock only to move one change.
 */
final class ListenerQueue {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerQueue.class);

    /** Pending changes past which a key's changes are coalesced to its latest. */
    static final int DEFAULT_BOUND = 65_536;

    private final int bound;
    private final Executor callbacks;
    private final Consumer<Change> listeners;
    private final String node;
    /** Every pending change, in order; empty while coalescing. */
    private final ArrayDeque<Change> inOrder = new ArrayDeque<>();
    /** While coalescing: the latest pending change of each key, in order of each key's first. */
    private final Map<Key, Change> latest = new LinkedHashMap<>();

    private long coalesced;
    private boolean warned;

    /**
     * A queue delivering to {@code listeners} through {@code callbacks}, which must run tasks one
     * at a time in submission order; {@code node} names the node in the log.
     */
    ListenerQueue(int bound, Executor callbacks, Consumer<Change> listeners, String node) {
        if (bound < 1) {
            throw new IllegalArgumentException("the listener queue bound must be positive, was " + bound);
        }
        this.bound = bound;
        this.callbacks = callbacks;
        this.listeners = listeners;
        this.node = node;
    }

    /**
     * Queues {@code change} for the listeners; never waits. A delivery task is submitted only
     * when the number of pending changes grew, so there are always at least as many tasks
     * queued as changes pending (a task finding nothing does nothing).
     */
    void add(Change change) {
        boolean grew;
        synchronized (this) {
            if (latest.isEmpty() && inOrder.size() < bound) {
                inOrder.add(change);
                grew = true;
            } else {
                int before = pending();
                if (latest.isEmpty()) {
                    startCoalescing();
                }
                coalesce(change);
                grew = pending() > before;
            }
        }
        if (grew) {
            callbacks.execute(this::deliverNext);
        }
    }

    private void startCoalescing() {
        for (Change c : inOrder) {
            coalesce(c);
        }
        inOrder.clear();
        if (!warned) {
            warned = true;
            LOG.warn(
                    "listeners of node {} fall behind: {} events are waiting; until they catch up, each key's "
                            + "events are coalesced to its latest (counted in status().listenerEventsCoalesced())",
                    node,
                    bound);
        }
    }

    /** Keeps {@code change} as its key's latest, in the place of the key's first pending change. */
    private void coalesce(Change change) {
        if (latest.put(change.key(), change) != null) {
            coalesced++;
        }
    }

    private void deliverNext() {
        Change next;
        synchronized (this) {
            next = inOrder.poll();
            if (next == null && !latest.isEmpty()) {
                Iterator<Change> first = latest.values().iterator();
                next = first.next();
                first.remove();
            }
        }
        if (next != null) {
            listeners.accept(next);
        }
    }

    /** Changes waiting for the listeners (not counting one being delivered). */
    synchronized int pending() {
        return inOrder.size() + latest.size();
    }

    /** Changes replaced by a later change of the same key before the listeners saw them. */
    synchronized long coalesced() {
        return coalesced;
    }
}
