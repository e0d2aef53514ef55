package dev.jv2p.sync;

import dev.jv2p.mesh.Flags;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Registration;
import dev.jv2p.mesh.Values;
import dev.jv2p.sync.internal.ApplyResult;
import dev.jv2p.sync.internal.Change;
import dev.jv2p.sync.internal.Entry;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The synchronized dictionary (js2p's {@code SyncSocket}): every node of the mesh holds the
 * same map from byte-string keys to values, a write anywhere reaches everyone, and listeners
 * see {@code update} and {@code delete} events. Built on a {@link MeshSocket}, which it owns
 * and which can still carry plain messages ({@link #mesh()}).
 *
 * <p><b>Keys and values.</b> A key is a byte string; a {@code String} key is its UTF-8 bytes.
 * Values are the msgpack data model (see {@link Values}); {@code null} deletes.
 *
 * <p><b>The merge rule</b>, the same on every jv2p node: a key's value is what the p2p.today
 * lease rule gives when that key's writes are applied in order of their stamps (timestamp,
 * then owner id, then the owner's sequence number), not in arrival order. With leasing on, a
 * writer holds a key for the lease duration (1 h), judged by the writes' own timestamps; a
 * same-second tie goes to the smaller owner id. With leasing off, the newer timestamp wins.
 * A delete is a write of {@code null} and obeys the same rule; it leaves a tombstone for the
 * retention period, so a late or stale copy cannot bring the key back. The details and bounds
 * are in {@link SyncStore}. So two jv2p nodes that received the same writes hold the same
 * dictionary, whatever the order; jv2p nodes also compare digests with each other on connect
 * and periodically and exchange what differs, so they converge after partitions and lost
 * messages.
 *
 * <p><b>Mixed meshes with js2p.</b> js2p applies writes in arrival order and never replaces a
 * value it holds during a join transfer, so js2p nodes can disagree with jv2p nodes after
 * concurrent writes. Deletes travel under a jv2p-only sub-flag (js2p crashes on nil-valued
 * stores), so js2p nodes keep deleted keys. Keys that are not UTF-8 travel under a jv2p-only
 * sub-flag too and never reach js2p peers (js2p would decode them as text and merge distinct
 * keys); js2p returns integers beyond 2^31 as floats and map keys as strings. Two writes of one
 * key by one js2p node within the same second carry identical stamps; js2p applies the later
 * arrival, jv2p a fixed order (by kind, then value), so such a pair can leave js2p and jv2p
 * nodes different (jv2p nodes still agree with each other). A default js2p node (leasing
 * argument omitted) announces leasing but lets the newer write win: to share its rules, use
 * {@code leasing(false).announceLeasing(true)} (see {@link SyncConfig}).
 *
 * <p><b>Acknowledged writes.</b> A write ({@link #set}, {@link #del}, {@link #update}, {@link
 * #applyDelta}) is <em>acknowledged</em> when the event loop has stamped it and applied it to
 * this node's store in merge order: when its async form's future ({@link #setAsync}, {@link
 * #delAsync}, {@link #updateAsync}, {@link #applyDeltaAsync}) completes normally, or when the
 * synchronous method returns normally on the event loop, or, for {@link #applyDelta}, {@link
 * #pop} and {@link #popItem}, from any thread. An acknowledged write has been handed to every
 * connected peer, and it reaches every node that stays in contact with this one (directly or
 * through other nodes) within the retention, through anti-entropy if a message is lost or a
 * link breaks. It is never refused for bookkeeping (history bounds, horizons). A write that a
 * later write supersedes under the merge rule (a newer value, a delete) is not lost: every
 * node applies both and agrees on the result. Called off the loop, {@link #set}, {@link #del}
 * and {@link #update} return once the write passed the lease check against what this node
 * holds and is queued, in this thread's order, without waiting for the loop: the write becomes
 * acknowledged when the loop applies it, which it does unless a peer's write that arrived in
 * between took the key's lease (or a peer's delete, which the read view does not show, still
 * holds it). That one refusal after the call returned is counted in {@link
 * SyncStatus#queuedWritesRefused()} and logged as a warning once per key; a caller that must
 * know uses the async form. A lease refusal the caller's thread can see is thrown ({@link
 * LeaseConflictException}) and nothing is sent.
 *
 * <p><b>Threading.</b> Reads come from a concurrent map and never block. Writes run on the
 * node's event loop (inline when called from a handler on the loop). {@link #set}, {@link
 * #del} and {@link #update} and their async forms called from another thread check the lease,
 * show the new value to readers at once and queue the rest for the loop, so a writer does not
 * wait for the loop per call; {@link #applyDeltaAsync} queues the delta; {@link #applyDelta},
 * {@link #pop} and {@link #popItem} wait for the loop. The futures of the async forms complete
 * on the event loop. Listeners run on the node's callback thread, in order (see {@link
 * #addListener}).
 */
public final class SyncSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncSocket.class);
    private final SyncConfig config;
    private final MeshSocket mesh;
    private final SyncStore store;
    private final Replicator replicator;
    /**
     * The read view: the store's current entries of the keys that hold values (the very
     * objects, not copies), and the provisional entries of writes queued by other threads.
     */
    private final ConcurrentSkipListMap<Key, Entry> view = new ConcurrentSkipListMap<>();
    private final List<SyncListener> listeners = new CopyOnWriteArrayList<>();
    private final ListenerQueue listenerQueue;
    private final ScheduledFuture<?> antiEntropy;


    private SyncSocket(SyncConfig config) {
        this.config = config;
        this.mesh = MeshSocket.start(config.mesh().toBuilder()
                .protocol(config.mesh().protocol().withSubnet(config.announcedSubnet())).build());
        // Where owners sign their writes, each delta keeps its own proof: a folded one has none.
        this.store = new SyncStore(config.storeConfig().toBuilder().foldDeltas(mesh.identity().isEmpty()).build());
        this.listenerQueue = new ListenerQueue(ListenerQueue.DEFAULT_BOUND, mesh::runOnCallbackThread, this::deliver,
                mesh.id());
        this.replicator = new Replicator(this, mesh, store, config);
        mesh.registerHandler(replicator);
        mesh.addPeerEvents(replicator);
        this.antiEntropy = mesh.scheduleAtFixedRate(replicator::antiEntropyRound, config.antiEntropyInterval());
    }

    /** Starts a node. */
    public static SyncSocket start(SyncConfig config) {
        return new SyncSocket(config);
    }

    /** The mesh node underneath: connect, peers, plain broadcasts. */
    public MeshSocket mesh() {
        return mesh;
    }

    /** This node's id, the owner of its writes. */
    public String id() {
        return mesh.id();
    }

    /** The configuration this node was started with. */
    public SyncConfig config() {
        return config;
    }

    // ---- reads ----------------------------------------------------------------------------------

    /** The value of {@code key} ({@code String} or {@code byte[]} or {@link Key}), or {@code null}. */
    public Object get(Object key) {
        Entry i = view.get(toKey(key));
        return i == null ? null : i.value();
    }

    /** The value of {@code key}, or {@code fallback} when it has none. */
    public Object get(Object key, Object fallback) {
        Entry i = view.get(toKey(key));
        return i == null ? fallback : i.value();
    }

    /** Owner and timestamp of the value of {@code key}, if it has one. */
    public Optional<MetaTuple> meta(Object key) {
        return Optional.ofNullable(view.get(toKey(key))).map(Entry::meta);
    }

    /** Whether {@code key} holds a value (in the read view, which shows this node's own queued writes). */
    public boolean containsKey(Object key) {
        return view.containsKey(toKey(key));
    }

    /** How many keys hold values. */
    public int size() {
        return view.size();
    }

    /** The keys holding values, in byte order. */
    public List<Key> keys() {
        return new ArrayList<>(view.keySet());
    }

    /** The values, in the byte order of their keys (as {@link #keys()}). */
    public List<Object> values() {
        List<Object> out = new ArrayList<>(view.size());
        for (Entry i : view.values()) {
            out.add(i.value());
        }
        return out;
    }

    /** Key/value pairs in key order. */
    public List<Map.Entry<Key, Object>> items() {
        List<Map.Entry<Key, Object>> out = new ArrayList<>(view.size());
        for (Map.Entry<Key, Entry> e : view.entrySet()) {
            out.add(Map.entry(e.getKey(), e.getValue().value()));
        }
        return out;
    }

    /** A live read-only {@link Map} view; its mutators throw {@link UnsupportedOperationException}. */
    public Map<Key, Object> asMap() {
        return new AbstractMap<>() {
            @Override
            public Set<Entry<Key, Object>> entrySet() {
                return new java.util.AbstractSet<>() {
                    @Override
                    public Iterator<Entry<Key, Object>> iterator() {
                        Iterator<Map.Entry<Key, dev.jv2p.sync.internal.Entry>> it = view.entrySet().iterator();
                        return new Iterator<>() {
                            @Override
                            public boolean hasNext() {
                                return it.hasNext();
                            }

                            @Override
                            public Entry<Key, Object> next() {
                                Map.Entry<Key, dev.jv2p.sync.internal.Entry> e = it.next();
                                return Map.entry(e.getKey(), e.getValue().value());
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return view.size();
                    }
                };
            }

            @Override
            public Object get(Object key) {
                return key instanceof Key || key instanceof String || key instanceof byte[] ? SyncSocket.this.get(key)
                        : null;
            }

            @Override
            public boolean containsKey(Object key) {
                return (key instanceof Key || key instanceof String || key instanceof byte[]) && view.containsKey(
                        toKey(key));
            }
        };
    }

    // ---- writes ---------------------------------------------------------------------------------

    /**
     * Sets {@code key} to {@code value} on every node; {@code null} deletes.
     *
     * <p>Called off the event loop, this checks the lease against the values this node holds and
     * returns once the write is queued for the loop, which stamps, applies and sends it (writes
     * from one thread keep their order, and reach the loop before any later call of this socket
     * from that thread). The caller reads its own write at once ({@link #get}); listeners see it
     * when the loop has applied it. If the loop then finds the key leased after all (a peer's
     * write arrived in between), the write is refused there: the read view shows the key's merged
     * value again, {@link SyncStatus#queuedWritesRefused()} counts it and a warning names the key
     * (once per key). Use {@link #setAsync} to learn of that refusal. At most
     * {@value #MAX_QUEUED_WRITES} writes wait for the loop; a caller beyond that waits.
     *
     * @throws LeaseConflictException if another node holds the key's lease; nothing is sent
     * @throws IllegalArgumentException if the key or value cannot be carried; nothing is sent
     */
    public void set(Object key, Object value) {
        write(List.of(keyWrite(key, value)), null);
    }

    /**
     * {@link #set}, reporting the outcome through the returned future: it completes when the
     * event loop has applied the write (the write is then acknowledged, see the class comment), or
     * exceptionally with a {@link LeaseConflictException} when the lease rule refuses it, on the
     * caller's thread or later on the loop. The future completes on the event loop: what is
     * chained to it with non-async methods runs there and must not block.
     *
     * @throws IllegalArgumentException if the key or value cannot be carried; nothing is sent
     */
    public CompletableFuture<Void> setAsync(Object key, Object value) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        write(List.of(keyWrite(key, value)), outcome);
        return outcome;
    }

    /**
     * Deletes {@code key} everywhere (as {@code set(key, null)}); a key without a value is left
     * alone. Queued like {@link #set}.
     *
     * @throws LeaseConflictException if another node holds the key's lease; nothing is sent
     */
    public void del(Object key) {
        write(List.of(new KeyWrite(toKey(key), null)), null);
    }

    /** {@link #del}, reporting the outcome through the returned future as {@link #setAsync} does. */
    public CompletableFuture<Void> delAsync(Object key) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        write(List.of(new KeyWrite(toKey(key), null)), outcome);
        return outcome;
    }

    /**
     * Sets every entry of {@code entries}: one write per key, all applied and sent by one
     * event-loop task. Every key and value is checked first, and the lease of every key on the
     * caller's thread and again on the loop; if one cannot be written, none is. Queued like
     * {@link #set}.
     *
     * @throws LeaseConflictException if another node holds the lease of one of the keys
     * @throws IllegalArgumentException if a key or value cannot be carried
     */
    public void update(Map<?, ?> entries) {
        write(keyWrites(entries), null);
    }

    /**
     * {@link #update}, reporting the outcome through the returned future as {@link #setAsync}
     * does; when it fails, none of the entries was written.
     *
     * @throws IllegalArgumentException if a key or value cannot be carried; nothing is sent
     */
    public CompletableFuture<Void> updateAsync(Map<?, ?> entries) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        write(keyWrites(entries), outcome);
        return outcome;
    }

    /** A set ({@code value} not null) or delete of one key, checked on the caller's thread. */
    private record KeyWrite(Key key, Object value) {
        Write.Kind kind() {
            return value == null ? Write.Kind.DELETE : Write.Kind.SET;
        }
    }

    private static KeyWrite keyWrite(Object key, Object value) {
        return new KeyWrite(toKey(key), Values.normalize(value));
    }

    private static List<KeyWrite> keyWrites(Map<?, ?> entries) {
        List<KeyWrite> writes = new ArrayList<>(entries.size());
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            writes.add(keyWrite(e.getKey(), e.getValue()));
        }
        return writes;
    }

    /**
     * The one path of {@link #set}, {@link #del} and {@link #update} and their async forms. A
     * refusal goes to {@code outcome} when there is one; otherwise it is thrown where the caller
     * can see it, and counted and logged when the loop finds it after the caller returned.
     */
    private void write(List<KeyWrite> writes, CompletableFuture<Void> outcome) {
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
            for (KeyWrite w : live) {
                checkLease(w.key(), w.kind(), now);
            }
        } catch (LeaseConflictException e) {
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
        for (KeyWrite w : live) {
            if (w.value() == null) {
                view.remove(w.key());
            } else {
                view.put(w.key(), new Entry(w.key(), w.value(), new WriteStamp(now, id(), 0)));
            }
        }
        submit(() -> writeQueued(live, now, outcome));
    }

    /** Applies writes on the loop, throwing a refusal to a caller without {@code outcome}. */
    private void applyOnLoop(List<KeyWrite> writes, long now, CompletableFuture<Void> outcome) {
        RuntimeException refusal = tryApply(writes, now);
        if (outcome != null) {
            complete(outcome, refusal);
        } else if (refusal != null) {
            throw refusal;
        }
    }

    /**
     * Checks every write of {@code writes} against the store, then stamps, applies and sends
     * them all; returns the refusal of the first write refused (then none was applied), or null.
     */
    private RuntimeException tryApply(List<KeyWrite> writes, long now) {
        try {
            if (writes.size() > 1) {
                for (KeyWrite w : writes) {
                    if (w.value() != null || store.get(w.key()) != null) {
                        store.checkLocalWrite(w.key(), w.kind(), id(), now);
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

    private static void complete(CompletableFuture<Void> outcome, RuntimeException refusal) {
        if (refusal == null) {
            outcome.complete(null);
        } else {
            outcome.completeExceptionally(refusal);
        }
    }

    /** Stamps (at {@code now}, the time of the call), applies and sends a set; on the loop. */
    private void setOnLoop(Key k, Object v, long now) {
        WriteStamp stamp = store.checkLocalWrite(k, Write.Kind.SET, id(), now);
        Write w = Write.set(k, v, stamp);
        publish(store.apply(w, now).change());
        if (k.isUtf8()) {
            replicator.broadcast(w, List.of(k.bytes(), v, stamp.seq()), Flags.STORE);
        } else {
            replicator.broadcast(w, List.of((long) Write.Kind.SET.ordinal(), k.bytes(), v, stamp.seq()),
                    SyncWire.BINARY_KEY_WRITE);
        }
    }

    private void delOnLoop(Key k, long now) {
        if (store.get(k) == null) {
            return;
        }
        WriteStamp stamp = store.checkLocalWrite(k, Write.Kind.DELETE, id(), now);
        Write w = Write.delete(k, stamp);
        publish(store.apply(w, now).change());
        replicator.broadcast(w, List.of(k.bytes(), stamp.seq()), SyncWire.DELETE);
    }

    /** Most writes queued for the event loop by other threads at once. */
    static final int MAX_QUEUED_WRITES = 8192;

    private final Semaphore queuedWrites = new Semaphore(MAX_QUEUED_WRITES);

    /** The lease check of a write about to be queued, against the read view (spec §12.6, rules 1–5). */
    private void checkLease(Key k, Write.Kind kind, long now) {
        Entry held = view.get(k);
        if (held != null) {
            store.checkLease(k, kind, held.meta().owner(), held.meta().timestamp(), id(), now);
        }
    }

    /** Hands a write task to the event loop, waiting while {@value #MAX_QUEUED_WRITES} are queued. */
    private void submit(Runnable task) {
        queuedWrites.acquireUninterruptibly();
        try {
            mesh.execute(() -> {
                try {
                    task.run();
                } finally {
                    queuedWrites.release();
                }
            });
        } catch (RuntimeException e) { // the loop refused the task: the node is closing
            queuedWrites.release();
            throw e;
        }
    }

    /**
     * Runs writes queued by another thread on the loop. Whatever happens, the read view then
     * holds each key's merged state: the caller's provisional value may have lost to a peer's
     * write.
     */
    private void writeQueued(List<KeyWrite> writes, long now, CompletableFuture<Void> outcome) {
        RuntimeException refusal = tryApply(writes, now);
        for (KeyWrite w : writes) {
            // Usually publish() has just put the store's own entry there; only a write that
            // was refused or changed nothing visible leaves the caller's provisional one.
            Entry current = store.entry(w.key()).filter(e -> !e.isTombstone()).orElse(null);
            if (view.get(w.key()) != current) {
                if (current == null) {
                    view.remove(w.key());
                } else {
                    view.put(w.key(), current);
                }
            }
        }
        if (refusal != null) {
            Key refused = refusal instanceof LeaseConflictException c ? c.key() : writes.get(0).key();
            queuedRefused.refused(refused, refusal, outcome == null);
        }
        if (outcome != null) { // last: whoever waits for it reads the merged state
            complete(outcome, refusal);
        }
    }

    /**
     * Merges {@code delta}'s entries into the map stored at {@code key} (an absent key starts
     * from an empty map), on every node. Called off the event loop, it waits for the loop.
     *
     * @throws IllegalArgumentException if the key holds a value that is not a map
     * @throws LeaseConflictException if another node holds the key's lease (with leasing on)
     */
    public void applyDelta(Object key, Map<?, ?> delta) {
        join(applyDeltaAsync(key, delta));
    }

    /**
     * {@link #applyDelta} without waiting: the future completes when the event loop has applied
     * the delta, or exceptionally with a {@link LeaseConflictException}, or an
     * {@link IllegalArgumentException} if the key holds a value that is not a map. It completes on
     * the event loop, as {@link #setAsync}'s does. Queued like {@link #set}.
     *
     * @throws IllegalArgumentException if the key or delta cannot be carried; nothing is sent
     */
    public CompletableFuture<Void> applyDeltaAsync(Object key, Map<?, ?> delta) {
        Key k = toKey(key);
        Object d = Values.normalize(delta);
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        if (mesh.inEventLoop()) {
            complete(outcome, tryDelta(k, d));
        } else {
            submit(() -> {
                RuntimeException refusal = tryDelta(k, d);
                if (refusal != null) {
                    queuedRefused.refused(k, refusal, false);
                }
                complete(outcome, refusal);
            });
        }
        return outcome;
    }

    /** Applies and sends a delta on the loop; returns its refusal, or null. */
    private RuntimeException tryDelta(Key k, Object d) {
        try {
            Object current = store.get(k);
            if (current != null && !(current instanceof Map)) {
                throw new IllegalArgumentException("cannot apply a delta to " + k + ": it holds a "
                        + current.getClass().getSimpleName() + ", not a mapping");
            }
            long now = mesh.now();
            WriteStamp stamp = store.checkLocalWrite(k, Write.Kind.DELTA, id(), now);
            Write w = Write.delta(k, (Map<?, ?>) d, stamp);
            ApplyResult r = store.apply(w, now);
            publish(r.change());
            if (k.isUtf8()) {
                replicator.broadcast(w, List.of(k.bytes(), d, stamp.seq()), Flags.DELTA);
            } else {
                replicator.broadcast(w, List.of((long) Write.Kind.DELTA.ordinal(), k.bytes(), d, stamp.seq()),
                        SyncWire.BINARY_KEY_WRITE);
            }
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private final QueuedRefusals queuedRefused = new QueuedRefusals();

    /**
     * Writes queued by another thread and refused on the loop; loop-owned. A caller that can no
     * longer hear of it ({@code set}, {@code del}, {@code update} returned) gets a warning the
     * first time each key is refused (the set of warned keys is bounded: when full it starts
     * over), and every later one at DEBUG.
     */
    private final class QueuedRefusals {
        private static final int MAX_WARNED_KEYS = 1024;
        private final Set<Key> warned = new java.util.HashSet<>();
        private long count;

        void refused(Key key, RuntimeException e, boolean callerReturned) {
            count++;
            if (!callerReturned) {
                return;
            }
            if (warned.size() >= MAX_WARNED_KEYS) {
                warned.clear();
            }
            if (warned.add(key)) {
                LOG.warn("node {}: a write of {} queued by a caller that has returned was refused on the event "
                        + "loop: {} (counted in status().queuedWritesRefused(); later refusals of this key are "
                        + "logged at DEBUG)", id(), key, e.getMessage());
            } else {
                LOG.debug("node {}: a queued write of {} was refused on the event loop: {}", id(), key, e.getMessage());
            }
        }
    }
    /**
     * Removes {@code key} and returns its value.
     *
     * @throws NoSuchElementException if the key has no value
     */
    public Object pop(Object key) {
        Object v = pop(key, NO_VALUE);
        if (v == NO_VALUE) {
            throw new NoSuchElementException("no value for " + toKey(key));
        }
        return v;
    }

    private static final Object NO_VALUE = new Object();

    /** Removes {@code key} and returns its value, or {@code fallback} if it had none. */
    public Object pop(Object key, Object fallback) {
        Key k = toKey(key);
        return onLoop(() -> {
            Object v = store.get(k);
            if (v == null) {
                return fallback;
            }
            del(k);
            return v;
        });
    }

    /**
     * Removes some key and returns it with its value.
     *
     * @throws NoSuchElementException if the dictionary is empty
     */
    public Map.Entry<Key, Object> popItem() {
        return onLoop(() -> {
            Map.Entry<Key, Entry> first = view.firstEntry();
            if (first == null) {
                throw new NoSuchElementException("the dictionary is empty");
            }
            del(first.getKey());
            return Map.entry(first.getKey(), first.getValue().value());
        });
    }

    // ---- events ---------------------------------------------------------------------------------

    /**
     * Adds a listener for {@code update} and {@code delete} events. Listeners run on the node's
     * callback thread, one event at a time, in the order the event loop applied the changes;
     * a slow listener never stalls the loop. When listeners fall {@value
     * ListenerQueue#DEFAULT_BOUND} events behind, each key's waiting events are coalesced to its
     * latest until they catch up (an update then a delete of one key leaves the delete): a
     * listener may then miss intermediate values, but still sees each key's events in order and
     * ends with every key's current state. Coalesced events are counted in
     * {@link SyncStatus#listenerEventsCoalesced()} and the first time is logged.
     */
    public Registration addListener(SyncListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Applies a visible change to the read view and queues it for the listeners (on the event loop). */
    void publish(Optional<Change> change) {
        if (change.isEmpty()) {
            return;
        }
        Change c = change.get();
        if (c instanceof Change.Update u) {
            view.put(u.key(), store.entry(u.key()).orElseThrow());
        } else {
            view.remove(c.key());
        }
        if (!listeners.isEmpty()) {
            listenerQueue.add(c);
        }
    }

    /** Tells the listeners of one change; on the callback thread. */
    private void deliver(Change c) {
        if (c instanceof Change.Update u) {
            listeners.forEach(l -> l.onUpdate(this, u.key(), u.value(), u.meta()));
        } else {
            listeners.forEach(l -> l.onDelete(this, c.key()));
        }
    }

    /**
     * Batch signatures this node made for its writes and owner signatures it checked, in a mesh
     * whose transport binds ids to keys ({@code TLS}); zeros otherwise. For measurements.
     */
    public long[] signatureCounts() {
        return onLoop(replicator::signatureCounts);
    }

    /** Sync messages this node rejected as malformed, out of bounds or (in TLS meshes) unsigned or forged. */
    public long rejectedMessages() {
        return replicator.rejectedCount();
    }

    /**
     * A snapshot of this node: the mesh's {@link MeshSocket#status()} and the dictionary's
     * figures, taken together on the event loop (waiting for it when called from another
     * thread). After {@link #close()} it describes the node as it was left.
     */
    public SyncStatus status() {
        if (mesh.isClosed()) {
            return withSocketFigures(replicator.status(mesh.status()));
        }
        return onLoop(() -> withSocketFigures(replicator.status(mesh.status())));
    }

    private SyncStatus withSocketFigures(SyncStatus s) {
        return s.withSocketFigures(queuedRefused.count, listenerQueue.coalesced(), listenerQueue.pending());
    }

    // ---- plumbing -------------------------------------------------------------------------------

    static Key toKey(Object key) {
        if (key instanceof Key k) {
            return k;
        }
        if (key instanceof String s) {
            return Key.of(s);
        }
        if (key instanceof byte[] b) {
            return Key.of(b);
        }
        throw new IllegalArgumentException("a key must be a String, byte[] or Key, not "
                + (key == null ? "null" : key.getClass().getName()));
    }

    private <T> T onLoop(Supplier<T> task) {
        if (mesh.inEventLoop()) {
            return task.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        mesh.execute(() -> {
            try {
                f.complete(task.get());
            } catch (RuntimeException | Error e) { // an Error too: the caller must never wait forever
                f.completeExceptionally(e);
            }
        });
        return join(f);
    }

    /** Waits for {@code f}, throwing its failure as it was raised on the loop. */
    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                r.addSuppressed(new Exception("called from here"));
                throw r;
            }
            throw e;
        }
    }

    /** Closes the node and its mesh socket; closing a closed node does nothing. */
    @Override
    public void close() {
        if (mesh.isClosed()) {
            return;
        }
        antiEntropy.cancel(false);
        mesh.execute(replicator::flush); // writes still waiting for their batch signature go out first
        mesh.close();
    }

    @Override
    public String toString() {
        return "SyncSocket[" + id() + ", " + view.size() + " keys]";
    }
}
