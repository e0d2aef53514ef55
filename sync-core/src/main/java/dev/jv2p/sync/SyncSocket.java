package dev.jv2p.sync;

import dev.jv2p.mesh.Flags;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Registration;
import dev.jv2p.mesh.Values;
import dev.jv2p.sync.internal.ApplyResult;
import dev.jv2p.sync.internal.Change;
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
import java.util.function.Supplier;

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
 * <p><b>Threading.</b> Reads come from a concurrent map and never block. Writes run on the
 * node's event loop; called from another thread they wait for it (inline when called from a
 * handler on the loop). Listeners run on the node's callback thread, in order.
 */
public final class SyncSocket implements AutoCloseable {
    private final SyncConfig config;
    private final MeshSocket mesh;
    private final SyncStore store;
    private final Replicator replicator;
    private final ConcurrentSkipListMap<Key, Item> view = new ConcurrentSkipListMap<>();
    private final List<SyncListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> antiEntropy;

    private record Item(Object value, MetaTuple meta) {
    }

    private SyncSocket(SyncConfig config) {
        this.config = config;
        this.store = new SyncStore(config.storeConfig());
        this.mesh = MeshSocket.start(config.mesh().toBuilder()
                .protocol(config.mesh().protocol().withSubnet(config.announcedSubnet())).build());
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

    public SyncConfig config() {
        return config;
    }

    // ---- reads ----------------------------------------------------------------------------------

    /** The value of {@code key} ({@code String} or {@code byte[]} or {@link Key}), or {@code null}. */
    public Object get(Object key) {
        Item i = view.get(toKey(key));
        return i == null ? null : i.value();
    }

    /** The value of {@code key}, or {@code fallback} when it has none. */
    public Object get(Object key, Object fallback) {
        Item i = view.get(toKey(key));
        return i == null ? fallback : i.value();
    }

    /** Owner and timestamp of the value of {@code key}, if it has one. */
    public Optional<MetaTuple> meta(Object key) {
        return Optional.ofNullable(view.get(toKey(key))).map(Item::meta);
    }

    public boolean containsKey(Object key) {
        return view.containsKey(toKey(key));
    }

    public int size() {
        return view.size();
    }

    /** The keys holding values, in byte order. */
    public List<Key> keys() {
        return new ArrayList<>(view.keySet());
    }

    public List<Object> values() {
        List<Object> out = new ArrayList<>(view.size());
        for (Item i : view.values()) {
            out.add(i.value());
        }
        return out;
    }

    /** Key/value pairs in key order. */
    public List<Map.Entry<Key, Object>> items() {
        List<Map.Entry<Key, Object>> out = new ArrayList<>(view.size());
        for (Map.Entry<Key, Item> e : view.entrySet()) {
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
                        Iterator<Map.Entry<Key, Item>> it = view.entrySet().iterator();
                        return new Iterator<>() {
                            @Override
                            public boolean hasNext() {
                                return it.hasNext();
                            }

                            @Override
                            public Entry<Key, Object> next() {
                                Map.Entry<Key, Item> e = it.next();
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
     * @throws LeaseConflictException if another node holds the key's lease; nothing is sent
     * @throws IllegalArgumentException if the key or value cannot be carried; nothing is sent
     */
    public void set(Object key, Object value) {
        Key k = toKey(key);
        Object v = Values.normalize(value);
        if (v == null) {
            del(k);
            return;
        }
        onLoop(() -> {
            long now = mesh.now();
            WriteStamp stamp = store.checkLocalWrite(k, Write.Kind.SET, id(), now);
            Write w = Write.set(k, v, stamp);
            publish(store.apply(w, now).change());
            if (k.isUtf8()) {
                replicator.broadcast(w, List.of(k.bytes(), v, stamp.seq()), Flags.STORE);
            } else {
                replicator.broadcast(w, List.of((long) Write.Kind.SET.ordinal(), k.bytes(), v, stamp.seq()),
                        SyncWire.BINARY_KEY_WRITE);
            }
            return null;
        });
    }

    /** Deletes {@code key} everywhere (as {@code set(key, null)}); a key without a value is left alone. */
    public void del(Object key) {
        Key k = toKey(key);
        onLoop(() -> {
            if (store.get(k) == null) {
                return null;
            }
            long now = mesh.now();
            WriteStamp stamp = store.checkLocalWrite(k, Write.Kind.DELETE, id(), now);
            Write w = Write.delete(k, stamp);
            publish(store.apply(w, now).change());
            replicator.broadcast(w, List.of(k.bytes(), stamp.seq()), SyncWire.DELETE);
            return null;
        });
    }

    /** Sets every entry of {@code entries}, one write each. */
    public void update(Map<?, ?> entries) {
        for (Map.Entry<?, ?> e : entries.entrySet()) {
            set(e.getKey(), e.getValue());
        }
    }

    /**
     * Merges {@code delta}'s entries into the map stored at {@code key} (an absent key starts
     * from an empty map), on every node.
     *
     * @throws IllegalArgumentException if the key holds a value that is not a map
     * @throws LeaseConflictException if another node holds the key's lease (with leasing on)
     */
    public void applyDelta(Object key, Map<?, ?> delta) {
        Key k = toKey(key);
        Object d = Values.normalize(delta);
        onLoop(() -> {
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
        });
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
            Map.Entry<Key, Item> first = view.firstEntry();
            if (first == null) {
                throw new NoSuchElementException("the dictionary is empty");
            }
            del(first.getKey());
            return Map.entry(first.getKey(), first.getValue().value());
        });
    }

    // ---- events ---------------------------------------------------------------------------------

    /** Adds a listener for {@code update} and {@code delete} events. */
    public Registration addListener(SyncListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Applies a visible change to the read view and tells the listeners (on the event loop). */
    void publish(Optional<Change> change) {
        if (change.isEmpty()) {
            return;
        }
        Change c = change.get();
        if (c instanceof Change.Update u) {
            view.put(u.key(), new Item(u.value(), u.meta()));
            if (!listeners.isEmpty()) {
                mesh.runOnCallbackThread(() -> listeners.forEach(l -> l.onUpdate(this, u.key(), u.value(), u.meta())));
            }
        } else {
            view.remove(c.key());
            if (!listeners.isEmpty()) {
                mesh.runOnCallbackThread(() -> listeners.forEach(l -> l.onDelete(this, c.key())));
            }
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
            return replicator.status(mesh.status());
        }
        return onLoop(() -> replicator.status(mesh.status()));
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
