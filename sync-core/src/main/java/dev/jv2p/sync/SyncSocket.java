package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Registration;
import dev.jv2p.mesh.spi.Values;
import dev.jv2p.sync.internal.Change;
import dev.jv2p.sync.internal.SyncStore;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

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
    private final SyncConfig config;
    private final MeshSocket mesh;
    /** The mesh's plumbing for this protocol layer: its event loop and routing hooks. */
    private final LayerContext layer;

    private final Replicator replicator;
    private final ReadView view = new ReadView();
    private final SyncEvents events;
    private final WriteQueue writes;
    private final StatusAssembler statuses;
    private final ScheduledFuture<?> antiEntropy;
    private final DurableStore durable;

    private SyncSocket(SyncConfig config) {
        this.config = config;
        this.durable = DurableStore.open(config);
        this.mesh = durable.startMesh(config.mesh().toBuilder()
                .protocol(config.mesh().protocol().withSubnet(config.announcedSubnet()))
                .build());
        this.layer = mesh.layerContext();
        // Where owners sign their writes, each delta keeps its own proof: a folded one has none.
        SyncStore store = new SyncStore(config.storeConfig().toBuilder()
                .foldDeltas(mesh.identity().isEmpty())
                .build());
        this.events = new SyncEvents(this, layer, store, view);
        this.replicator = new Replicator(this, layer, store, config);
        durable.load(store, view, mesh, replicator.durableProofs()); // before any message is handled
        this.writes = new WriteQueue(layer, store, replicator, view, events, durable);
        this.statuses = new StatusAssembler(mesh, replicator, writes, events);
        layer.registerHandler(replicator);
        layer.addPeerEvents(replicator);
        this.antiEntropy = layer.scheduleAtFixedRate(replicator::antiEntropyRound, config.antiEntropyInterval());
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
        return view.get(toKey(key), null);
    }

    /** The value of {@code key}, or {@code fallback} when it has none. */
    public Object get(Object key, Object fallback) {
        return view.get(toKey(key), fallback);
    }

    /** Owner and timestamp of the value of {@code key}, if it has one. */
    public Optional<MetaTuple> meta(Object key) {
        return view.meta(toKey(key));
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
        return view.keys();
    }

    /** The values, in the byte order of their keys (as {@link #keys()}). */
    public List<Object> values() {
        return view.values();
    }

    /** Key/value pairs in key order. */
    public List<Map.Entry<Key, Object>> items() {
        return view.items();
    }

    /** A live read-only {@link Map} view; its mutators throw {@link UnsupportedOperationException}. */
    public Map<Key, Object> asMap() {
        return view.asMap();
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
        writes.write(List.of(KeyWrite.of(key, value)), null);
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
        writes.write(List.of(KeyWrite.of(key, value)), outcome);
        return outcome;
    }

    /**
     * Deletes {@code key} everywhere (as {@code set(key, null)}); a key without a value is left
     * alone. Queued like {@link #set}.
     *
     * @throws LeaseConflictException if another node holds the key's lease; nothing is sent
     */
    public void del(Object key) {
        writes.write(List.of(KeyWrite.delete(key)), null);
    }

    /** {@link #del}, reporting the outcome through the returned future as {@link #setAsync} does. */
    public CompletableFuture<Void> delAsync(Object key) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        writes.write(List.of(KeyWrite.delete(key)), outcome);
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
        writes.write(KeyWrite.all(entries), null);
    }

    /**
     * {@link #update}, reporting the outcome through the returned future as {@link #setAsync}
     * does; when it fails, none of the entries was written.
     *
     * @throws IllegalArgumentException if a key or value cannot be carried; nothing is sent
     */
    public CompletableFuture<Void> updateAsync(Map<?, ?> entries) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        writes.write(KeyWrite.all(entries), outcome);
        return outcome;
    }

    /** Most writes queued for the event loop by other threads at once. */
    static final int MAX_QUEUED_WRITES = 8192;

    /**
     * Merges {@code delta}'s entries into the map stored at {@code key} (an absent key starts
     * from an empty map), on every node. Called off the event loop, it waits for the loop.
     *
     * @throws IllegalArgumentException if the key holds a value that is not a map
     * @throws LeaseConflictException if another node holds the key's lease (with leasing on)
     */
    public void applyDelta(Object key, Map<?, ?> delta) {
        writes.applyDeltaAndWait(toKey(key), delta);
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
        return writes.applyDelta(toKey(key), delta);
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
        return writes.pop(toKey(key), fallback);
    }

    /**
     * Removes some key and returns it with its value.
     *
     * @throws NoSuchElementException if the dictionary is empty
     */
    public Map.Entry<Key, Object> popItem() {
        return writes.popFirst();
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
        return events.addListener(listener);
    }

    /** Applies a visible change to the read view and queues it for the listeners (on the event loop). */
    void publish(Optional<Change> change) {
        events.publish(change);
    }

    /**
     * Batch signatures this node made for its writes and owner signatures it checked, in a mesh
     * whose transport binds ids to keys ({@code TLS}); zeros otherwise. For measurements.
     */
    public long[] signatureCounts() {
        return LoopCalls.onLoop(layer, replicator::signatureCounts);
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
        return statuses.status();
    }

    // ---- plumbing -------------------------------------------------------------------------------

    /** The key a caller names: a {@link Key}, a {@code String} (its UTF-8 bytes) or a {@code byte[]}. */
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

    /** Closes the node and its mesh socket; closing a closed node does nothing. */
    @Override
    public void close() {
        if (mesh.isClosed()) {
            return;
        }
        antiEntropy.cancel(false);
        layer.execute(replicator::flush); // writes still waiting for their batch signature go out first
        durable.close();
        mesh.close();
    }

    @Override
    public String toString() {
        return "SyncSocket[" + id() + ", " + view.size() + " keys]";
    }
}
