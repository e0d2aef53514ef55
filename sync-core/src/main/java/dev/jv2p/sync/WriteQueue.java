package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.spi.Values;
import dev.jv2p.sync.internal.ApplyResult;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import dev.jv2p.sync.internal.persist.LogUnwritableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * This node's own writes, from whichever thread makes them to the event loop, which stamps,
 * applies and sends them. On the loop a write runs inline. From another thread a set or delete
 * is checked against the lease as the read view shows it, shown to readers at once and queued;
 * the loop checks it again against the store and, if a peer's write took the lease in between,
 * refuses it and shows the key's merged state again (see "Acknowledged writes" in
 * {@link SyncSocket}). At most {@link SyncSocket#MAX_QUEUED_WRITES} writes wait for the loop.
 */
final class WriteQueue {
    private final LayerContext mesh;
    private final SyncStore store;
    private final Replicator replicator;
    private final ReadView view;
    private final SyncEvents events;
    private final QueuedRefusals refusals;
    private final DurableStore durable;
    private final Semaphore queued = new Semaphore(SyncSocket.MAX_QUEUED_WRITES);

    WriteQueue(
            LayerContext mesh,
            SyncStore store,
            Replicator replicator,
            ReadView view,
            SyncEvents events,
            DurableStore durable) {
        this.durable = durable;
        this.mesh = mesh;
        this.store = store;
        this.replicator = replicator;
        this.view = view;
        this.events = events;
        this.refusals = new QueuedRefusals(mesh.id());
    }

    /** Queued writes refused on the loop so far; read on the event loop, or once the node is closed. */
    long refusedCount() {
        return refusals.count();
    }

    /**
     * The one path of sets, deletes and updates, sync or async. A refusal goes to
     * {@code outcome} when there is one; otherwise it is thrown where the caller can see it, and
     * counted and logged when the loop finds it after the caller returned.
     */
    void write(List<KeyWrite> writes, CompletableFuture<Void> outcome) {
        if (outcome == null && durable.waitsForDisk()) { // the call returns once the write is on disk
            durable.requireOffLoop();
            CompletableFuture<Void> done = new CompletableFuture<>();
            enqueue(writes, done);
            LoopCalls.join(done);
        } else {
            enqueue(writes, outcome);
        }
    }

    private void enqueue(List<KeyWrite> writes, CompletableFuture<Void> outcome) {
        long now = mesh.now();
        if (mesh.inEventLoop()) {
            applyOnLoop(writes, now, outcome);
            return;
        }
        List<KeyWrite> live = new ArrayList<>(writes.size());
        for (KeyWrite w : writes) {
            if (w.value() != null || view.containsKey(w.key())) { // deleting an absent key does nothing
                live.add(w);
            }
        }
        try {
            durable.refuseWhileUnwritable();
            for (KeyWrite w : live) {
                checkLease(w.key(), w.kind(), now);
            }
        } catch (LeaseConflictException | LogUnwritableException e) {
            if (outcome == null) {
                throw e;
            }
            outcome.completeExceptionally(e);
            return;
        }
        if (live.isEmpty()) {
            if (outcome != null) {
                outcome.complete(null);
            }
            return;
        }
        WriteStamp provisional = new WriteStamp(now, mesh.id(), 0);
        for (KeyWrite w : live) {
            view.showQueued(w.key(), w.value(), provisional);
        }
        try {
            submit(() -> writeQueued(live, now, outcome));
        } catch (RuntimeException closing) {
            live.forEach(w -> view.unqueue(w.key()));
            throw closing;
        }
    }

    /** The lease check of a write about to be queued, against the read view (spec §12.6, rules 1–5). */
    private void checkLease(Key k, Write.Kind kind, long now) {
        Entry held = view.entry(k);
        if (held != null) {
            store.checkLease(k, kind, held.meta().owner(), held.meta().timestamp(), mesh.id(), now);
        }
    }

    /** Hands a write task to the event loop, waiting while {@link SyncSocket#MAX_QUEUED_WRITES} are queued. */
    private void submit(Runnable task) {
        queued.acquireUninterruptibly();
        try {
            mesh.execute(() -> {
                try {
                    task.run();
                } finally {
                    queued.release();
                }
            });
        } catch (RuntimeException e) { // the loop refused the task: the node is closing
            queued.release();
            throw e;
        }
    }

    /** Applies writes on the loop, throwing a refusal to a caller without {@code outcome}. */
    private void applyOnLoop(List<KeyWrite> writes, long now, CompletableFuture<Void> outcome) {
        RuntimeException refusal = tryApply(writes, now);
        if (outcome != null) {
            durable.completeNow(outcome, refusal);
        } else if (refusal != null) {
            throw refusal;
        } else {
            durable.flushNow();
        }
    }

    /**
     * Runs writes queued by another thread on the loop. Whatever happens, the read view then
     * holds each key's merged state: the caller's provisional value may have lost to a peer's
     * write.
     */
    private void writeQueued(List<KeyWrite> writes, long now, CompletableFuture<Void> outcome) {
        RuntimeException refusal = tryApply(writes, now);
        sendIfIdle();
        for (KeyWrite w : writes) {
            view.showSettled(w.key(), store);
        }
        if (refusal != null) {
            Key refused = refusal instanceof LeaseConflictException c
                    ? c.key()
                    : writes.get(0).key();
            refusals.refused(refused, refusal, outcome == null);
        }
        if (outcome != null) { // last: whoever waits for it reads the merged state
            durable.complete(outcome, refusal);
        }
    }

    /**
     * On the loop, in a queued write's task: with no other write queued behind it, the writes
     * made so far go out now rather than after this loop turn; under load they keep sharing
     * frames. The task still holds its own permit.
     */
    private void sendIfIdle() {
        if (queued.availablePermits() >= SyncSocket.MAX_QUEUED_WRITES - 1) {
            replicator.sendNow();
        }
    }

    /**
     * Checks every write of {@code writes} against the store, then stamps, applies and sends
     * them all; returns the refusal of the first write refused (then none was applied), or null.
     */
    private RuntimeException tryApply(List<KeyWrite> writes, long now) {
        assert mesh.inEventLoop() : "writes are applied on the event loop";
        try {
            if (writes.size() > 1) {
                for (KeyWrite w : writes) {
                    if (w.value() != null || store.get(w.key()) != null) {
                        store.checkLocalWrite(w.key(), w.kind(), mesh.id(), now);
                    }
                }
            }
            for (KeyWrite w : writes) {
                if (w.value() == null) {
                    delOnLoop(w.key(), now);
                } else {
                    setOnLoop(w.key(), w.value(), now);
                }
            }
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** Stamps (at {@code now}, the time of the call), applies and sends a set; on the loop. */
    private void setOnLoop(Key k, Object v, long now) {
        WriteStamp stamp = store.checkLocalWrite(k, Write.Kind.SET, mesh.id(), now);
        Write w = Write.set(k, v, stamp);
        events.publish(store.apply(w, now).change());
        if (k.isUtf8()) {
            replicator.broadcast(w, List.of(k.bytes(), v, stamp.seq()), Flags.STORE);
        } else {
            replicator.broadcast(
                    w, List.of((long) Write.Kind.SET.ordinal(), k.bytes(), v, stamp.seq()), SyncWire.BINARY_KEY_WRITE);
        }
    }

    private void delOnLoop(Key k, long now) {
        if (store.get(k) == null) {
            return;
        }
        WriteStamp stamp = store.checkLocalWrite(k, Write.Kind.DELETE, mesh.id(), now);
        Write w = Write.delete(k, stamp);
        events.publish(store.apply(w, now).change());
        replicator.broadcast(w, List.of(k.bytes(), stamp.seq()), SyncWire.DELETE);
    }

    /**
     * Merges {@code delta} into the map at {@code k}: inline on the loop, queued from another
     * thread. The future completes on the loop, or with the refusal.
     */
    CompletableFuture<Void> applyDelta(Key k, Map<?, ?> delta) {
        Object d = Values.normalize(delta);
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        if (mesh.inEventLoop()) {
            durable.completeNow(outcome, tryDelta(k, d));
        } else {
            submit(() -> {
                RuntimeException refusal = tryDelta(k, d);
                sendIfIdle();
                if (refusal != null) {
                    refusals.refused(k, refusal, false);
                }
                durable.complete(outcome, refusal);
            });
        }
        return outcome;
    }

    /** Applies and sends a delta on the loop; returns its refusal, or null. */
    private RuntimeException tryDelta(Key k, Object d) {
        assert mesh.inEventLoop() : "deltas are applied on the event loop";
        try {
            Object current = store.get(k);
            if (current != null && !(current instanceof Map)) {
                throw new IllegalArgumentException("cannot apply a delta to " + k + ": it holds a "
                        + current.getClass().getSimpleName() + ", not a mapping");
            }
            long now = mesh.now();
            WriteStamp stamp = store.checkLocalWrite(k, Write.Kind.DELTA, mesh.id(), now);
            Write w = Write.delta(k, (Map<?, ?>) d, stamp);
            ApplyResult r = store.apply(w, now);
            events.publish(r.change());
            if (k.isUtf8()) {
                replicator.broadcast(w, List.of(k.bytes(), d, stamp.seq()), Flags.DELTA);
            } else {
                replicator.broadcast(
                        w,
                        List.of((long) Write.Kind.DELTA.ordinal(), k.bytes(), d, stamp.seq()),
                        SyncWire.BINARY_KEY_WRITE);
            }
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** {@link #applyDelta}, waiting for the outcome (not on the loop when it waits for the disk). */
    void applyDeltaAndWait(Key k, Map<?, ?> delta) {
        if (durable.waitsForDisk()) {
            durable.requireOffLoop();
        }
        LoopCalls.join(applyDelta(k, delta));
    }

    /** Deletes {@code k} on the loop (waiting for it) and returns its value, or {@code fallback}. */
    Object pop(Key k, Object fallback) {
        CompletableFuture<Void> done = diskWait();
        Object v = LoopCalls.onLoop(mesh, () -> {
            Object held = store.get(k);
            if (held == null) {
                return fallback;
            }
            enqueue(List.of(new KeyWrite(k, null)), done);
            return held;
        });
        awaitDisk(done, v != fallback);
        return v;
    }

    /** Deletes the first key on the loop (waiting for it) and returns it with its value. */
    Map.Entry<Key, Object> popFirst() {
        CompletableFuture<Void> done = diskWait();
        Map.Entry<Key, Object> popped = LoopCalls.onLoop(mesh, () -> {
            Map.Entry<Key, Entry> first = view.first();
            if (first == null) {
                throw new NoSuchElementException("the dictionary is empty");
            }
            enqueue(List.of(new KeyWrite(first.getKey(), null)), done);
            return Map.entry(first.getKey(), first.getValue().value());
        });
        awaitDisk(done, true);
        return popped;
    }

    /** A future for a pop's delete to wait on when writes wait for the disk; otherwise null (a refusal is thrown). */
    private CompletableFuture<Void> diskWait() {
        if (!durable.waitsForDisk()) {
            return null;
        }
        durable.requireOffLoop();
        return new CompletableFuture<>();
    }

    private static void awaitDisk(CompletableFuture<Void> done, boolean deleted) {
        if (done != null && deleted) {
            LoopCalls.join(done);
        }
    }
}
