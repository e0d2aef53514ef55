package dev.jv2p.sync.internal;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.LeaseConflictException;
import dev.jv2p.sync.SyncException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The merge engine of the synchronized dictionary: pure, deterministic, no I/O, no clock of
 * its own (every method that needs the time takes {@code now}, whole seconds). Not
 * thread-safe: one thread (the node's event loop) owns a store and calls every method. The
 * merge rule, the bounds and the convergence guarantee are described in this package's
 * documentation ({@code package-info.java}).
 */
public final class SyncStore {
    /** How many watermarks a graveyard holds (one per slot of key hash). */
    public static final int GRAVEYARD_SLOTS = Graveyard.SLOTS;

    private final SyncStoreConfig config;
    private final MergeRule rule;
    private Map<Key, KeyLog> logs = new HashMap<>();
    private final StoreDigests digests = new StoreDigests();
    private final Graveyard graveyard = new Graveyard();
    private final StoreFigures figures = new StoreFigures();
    /** Counted on the event loop and by {@link #checkLease} on writers' threads. */
    private final LongAdder localLeaseConflicts = new LongAdder();

    private StoreJournal journal = StoreJournal.NONE;
    private Folding folding;

    /** An empty store with these settings. */
    public SyncStore(SyncStoreConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.rule = new MergeRule(config.leasing(), config.leaseSeconds());
    }

    /** Sets who records every change before it is made (a durable store); {@code null}: nobody. */
    public void journal(StoreJournal journal) {
        this.journal = journal == null ? StoreJournal.NONE : journal;
    }

    /** Sets who is told of compactions ({@code null}: nobody). */
    public void onFolding(Folding folding) {
        this.folding = folding;
    }

    /**
     * Whether {@code chain}, in strictly increasing merge order, replayed from no state under
     * this store's rule takes every write and ends in {@code base} (value, stamp and
     * tombstone): what a receiver checks before it takes a base folded from signed writes.
     */
    public boolean replaysTo(List<Write> chain, Entry base) {
        return rule.replaysTo(chain, base);
    }

    /** The settings of this store. */
    public SyncStoreConfig config() {
        return config;
    }

    /** Merges one write, local or from a peer, received at {@code now}. */
    public ApplyResult apply(Write write, long now) {
        KeyLog log = logs.get(write.key());
        Entry before = log == null ? null : log.current();
        if (write.timestamp() > now + config.maxFutureSkewSeconds()) {
            return new ApplyResult(ApplyResult.Outcome.FUTURE, before, before);
        }
        journal.applying(write, now);
        if (log == null) {
            long keyHash = StoreDigest.keyHash(write.key());
            long horizon = graveyard.horizonFor(keyHash);
            if (write.timestamp() < horizon) {
                return new ApplyResult(ApplyResult.Outcome.STALE, null, null);
            }
            log = new KeyLog(write.key(), keyHash, horizon);
            logs.put(write.key(), log);
        } else if (write.timestamp() < log.horizon()) {
            return new ApplyResult(ApplyResult.Outcome.STALE, before, before);
        }
        MergeRule.Verdict verdict = log.insert(write, rule, config.foldDeltas());
        if (verdict == null) {
            return new ApplyResult(ApplyResult.Outcome.DUPLICATE, before, before);
        }
        log.enforceCap(config.maxHistoryPerKey(), now - config.retentionSeconds(), rule, folding);
        Entry after = log.current();
        stateChanged(log, before);
        ApplyResult.Outcome outcome = switch (verdict) {
            case TAKEN -> after.equals(before) ? ApplyResult.Outcome.SUPERSEDED : ApplyResult.Outcome.ACCEPTED;
            case REFUSED -> ApplyResult.Outcome.REFUSED_LEASE;
            case NO_EFFECT -> ApplyResult.Outcome.IGNORED;
        };
        figures.applied(outcome);
        return new ApplyResult(outcome, before, after);
    }

    /**
     * Checks, before anything is sent, that {@code owner} may write {@code key} now, and
     * returns the stamp to send the write with: {@code (now, owner, 0)}, or a higher sequence
     * number (and the same timestamp) when this owner already wrote the key in this second or,
     * after its clock stepped back, in a later one, so that its writes replay in the order it
     * made them. The network layer must put the stamp's timestamp in the packet's time field.
     *
     * @throws LeaseConflictException if the lease rule refuses the write at that stamp
     * @throws SyncException if the stamp would be refused as STALE or FUTURE, which only a
     *     clock that stepped back by more than the skew or the retention causes
     */
    public WriteStamp checkLocalWrite(Key key, Write.Kind kind, String owner, long now) {
        Objects.requireNonNull(kind, "kind");
        KeyLog log = logs.get(key);
        WriteStamp stamp = log == null ? WriteStamp.shared(now, owner, 0) : log.nextStamp(owner, now);
        long horizon = log == null ? graveyard.horizonFor(StoreDigest.keyHash(key)) : log.horizon();
        if (stamp.timestamp() < horizon || stamp.timestamp() > now + config.maxFutureSkewSeconds()) {
            throw new SyncException("cannot stamp a write of " + key + " by " + owner + " at " + now
                    + " s: it must be stamped from " + horizon + " s, after this owner's last write ("
                    + stamp.timestamp() + " s), and within " + config.maxFutureSkewSeconds() + " s of the clock");
        }
        if (log != null) {
            Entry holder = log.stateBefore(stamp, rule);
            if (!rule.allows(holder, kind, owner, stamp.timestamp())) {
                localLeaseConflicts.increment();
                throw new LeaseConflictException(
                        key, owner, holder.stamp().owner(), holder.stamp().timestamp(), rule.writableAt(holder));
            }
        }
        return stamp;
    }

    /**
     * The lease part of {@link #checkLocalWrite} against a state read elsewhere (a holder's
     * owner and timestamp, as a read view keeps them), so a thread that does not own this
     * store can refuse a write before queueing it. Thread-safe: it reads no state of the store
     * (a refusal counts in {@link #localLeaseConflicts}).
     *
     * @throws LeaseConflictException if the lease rule refuses {@code owner}'s write at {@code now}
     */
    public void checkLease(Key key, Write.Kind kind, String holderOwner, long holderTimestamp, String owner, long now) {
        Entry holder = new Entry(key, Boolean.TRUE, new WriteStamp(holderTimestamp, holderOwner, 0));
        if (!rule.allows(holder, kind, owner, now)) {
            localLeaseConflicts.increment();
            throw new LeaseConflictException(key, owner, holderOwner, holderTimestamp, rule.writableAt(holder));
        }
    }

    /** The value of {@code key}, or {@code null} if it has none or was deleted. Shared: do not modify. */
    public Object get(Key key) {
        KeyLog log = logs.get(key);
        return log == null || log.current() == null ? null : log.current().value();
    }

    /** The state of {@code key}, tombstones included. */
    public Optional<Entry> entry(Key key) {
        KeyLog log = logs.get(key);
        return Optional.ofNullable(log == null ? null : log.current());
    }

    /** The number of keys that hold a value (tombstones excluded). */
    public int size() {
        return figures.liveKeys();
    }

    /** The number of deleted keys whose tombstone is still held (not yet collected). */
    public int tombstones() {
        return figures.tombstones();
    }

    /** The writes held in the keys' histories after their bases; one step per key. */
    public long historyWrites() {
        return StoreViews.historyWrites(logs.values());
    }

    /** Local writes {@link #checkLocalWrite} refused because another owner held the key's lease. */
    public long localLeaseConflicts() {
        return localLeaseConflicts.sum();
    }

    /**
     * Writes that passed the lease rule and joined a key's history ({@code ACCEPTED} or
     * {@code SUPERSEDED}), this node's own and those from peers, live or in transfers.
     */
    public long writesMerged() {
        return figures.writesMerged();
    }

    /**
     * Writes refused by the lease rule ({@code REFUSED_LEASE}): from peers, live or in
     * transfers, since this node's own writes are checked before they are made.
     */
    public long leaseRefusals() {
        return figures.leaseRefusals();
    }

    /** A rough total size of the keys and values held (tombstones excluded), as msgpack would write them. */
    public long estimatedBytes() {
        return figures.liveBytes();
    }

    /** The keys that hold a value, with their metadata: what a join transfer to a js2p peer sends. */
    public List<Entry> entries() {
        return StoreViews.entries(logs.values(), false);
    }

    /** Every state held, tombstones included, ordered by key. */
    public List<Entry> allEntries() {
        return StoreViews.entries(logs.values(), true);
    }

    /** Every state held in the given digest buckets, tombstones included, ordered by key. */
    public List<Entry> entriesIn(Set<Integer> buckets) {
        return StoreViews.entries(StoreViews.inBuckets(logs.values(), buckets), true);
    }

    /**
     * The histories of every key held: a full transfer to a jv2p peer. Like every list of
     * histories this store returns, it is a view that makes each history when it is read (a
     * transfer holds one reference per key, not a copy of the store); read it on the store's
     * thread, where it shows each key as it is at that moment.
     */
    public List<KeyHistory> histories() {
        return StoreViews.histories(StoreViews.byKey(new ArrayList<>(logs.values())));
    }

    /** The histories of the keys in the given digest buckets, for anti-entropy (a view, see {@link #histories()}). */
    public List<KeyHistory> historiesIn(Set<Integer> buckets) {
        return StoreViews.histories(StoreViews.inBuckets(logs.values(), buckets));
    }

    /** The history of {@code key}, if this store holds one (a live key, or a tombstone not yet collected). */
    public Optional<KeyHistory> history(Key key) {
        return Optional.ofNullable(logs.get(key)).map(StoreViews::history);
    }

    /**
     * Merges a peer's history of one key, taking nothing on the peer's word that the merge
     * rule would not give: the incoming base is treated as the write that produced it (a set,
     * or a delete for a tombstone, with the base's stamp) and merged like every incoming write,
     * by {@link #apply}; so it is refused if stamped before this store's horizon for the key,
     * and where it falls after it, the lease rule judges it against what this store holds. The
     * peer's horizon is never taken, with one exception: for a key this store holds nothing
     * of (or only writes stamped from the peer's horizon on, with no base), a base older than
     * the retention (its horizon at most {@code now − retention + maxFutureSkew}) is taken as this store's base and horizon, as long as no delete collected
     * here may have removed it (it is stamped after the watermark for its slot of the
     * tombstones this store collected itself; see {@link Graveyard}).
     * That is how a joining node receives keys last written longer ago than the retention.
     *
     * @return the visible change of the key, if any
     */
    public Optional<Change> importHistory(KeyHistory history, long now) {
        Key key = history.key();
        KeyLog log = logs.get(key);
        Entry before = log == null ? null : log.current();
        Entry base = history.base();
        if (base != null) {
            KeyLog taker = log != null ? log : new KeyLog(key, StoreDigest.keyHash(key), history.horizon());
            // a key that holds nothing, or only writes that came first (live ones, to a node that
            // restarted empty: judged as a write, the base met the merged graveyard's horizon)
            if (takesCompactedBase(history, now) && taker.adoptUnder(base, history.horizon(), rule)) {
                journal.adopting(new KeyHistory(key, history.horizon(), base, List.of()), now);
                logs.put(key, taker);
                stateChanged(taker, before);
            } else {
                apply(
                        base.isTombstone()
                                ? Write.delete(key, base.stamp())
                                : Write.set(key, base.value(), base.stamp()),
                        now);
            }
        }
        for (Write write : history.writes()) {
            apply(write, now);
        }
        return Change.between(before, entry(key).orElse(null));
    }

    /**
     * A snapshot of the XOR digest, which jv2p nodes before the {@link BucketDigest} understand;
     * run {@link #collectGarbage} first so old tombstones do not differ.
     */
    public StoreDigest digest() {
        return digests.xor();
    }

    /**
     * The collision-resistant digest ({@link BucketDigest}); recomputes the buckets changed since
     * the last call, visiting every key once if any did.
     */
    public BucketDigest bucketDigest() {
        return digests.buckets(logs.values());
    }

    /**
     * For the keys of the given buckets, the pairs (key hash, entry hash) a peer compares with
     * its own to narrow a differing bucket to the keys that differ, ordered by key hash.
     */
    public List<KeySummary> summariesIn(Set<Integer> buckets) {
        return StoreDigests.summariesIn(logs.values(), buckets);
    }

    /** The histories of the keys whose key hash is in {@code keyHashes}: what a narrowed repair sends. */
    public List<KeyHistory> historiesOfKeyHashes(Set<Long> keyHashes) {
        return StoreViews.historiesOfKeyHashes(logs.values(), keyHashes);
    }

    /**
     * Moves every key's horizon up to {@code now − retention} and forgets deleted keys whose
     * tombstone is older than {@code now − retention − leaseDuration}.
     *
     * @return the number of tombstones collected
     */
    public int collectGarbage(long now) {
        journal.collecting(now);
        long horizon = now - config.retentionSeconds();
        long buryBefore = horizon - config.leaseSeconds();
        int collected = 0;
        for (Iterator<KeyLog> it = logs.values().iterator(); it.hasNext(); ) {
            KeyLog log = it.next();
            log.compact(horizon, rule, folding);
            Entry base = log.base();
            if (log.writeCount() == 0
                    && base != null
                    && base.isTombstone()
                    && base.stamp().timestamp() < buryBefore) {
                graveyard.bury(log.keyHash(), rule.writableAt(base) - 1);
                digests.removed(log);
                it.remove();
                figures.collected();
                collected++;
            }
        }
        return collected;
    }

    /** The graveyard's watermarks, to send with a full transfer. */
    public long[] graveyard() {
        return graveyard.export();
    }

    /**
     * Takes a peer's graveyard watermarks where they are newer (a joining node does this
     * first), each bounded by {@code now − retention}: a watermark is the lease end of a
     * tombstone collected after the retention and a lease had passed, so an honest peer's is
     * older than that; a larger one (a hostile or broken peer) would refuse honest writes.
     *
     * @throws IllegalArgumentException if the array is not one watermark per graveyard slot
     */
    public void mergeGraveyard(long[] watermarks, long now) {
        journal.mergingGraveyard(watermarks, now);
        graveyard.merge(watermarks, now - config.retentionSeconds());
    }

    /** Every key's history with its hashes, in no order: a copy a snapshot writes on another thread. */
    public List<KeyImage> images() {
        return KeyImages.of(logs.values());
    }

    /** Prepares this empty store for a snapshot: the {@link #graveyardState}, then {@code keys} {@link #restore}s. */
    public void restoring(long[][] graveyardState, int keys) {
        graveyard.restore(graveyardState);
        logs = new HashMap<>(Math.max(16, (int) (keys / 0.75f) + 1));
    }

    /** Puts back one key of a snapshot ({@link #images}), its hashes taken as they are; returns its state. */
    public Entry restore(KeyImage image) {
        KeyLog log = KeyImages.restore(image, rule, config.foldDeltas());
        logs.put(log.key(), log);
        digests.restored(log, image.entryHashHigh(), image.entryHashLow());
        figures.changed(null, log.current());
        return log.current();
    }

    /** The graveyard's merged and own watermarks, for a snapshot. */
    public long[][] graveyardState() {
        return graveyard.state();
    }

    /** Whether a peer's compacted base of a key this store holds nothing of is taken as it is. */
    private boolean takesCompactedBase(KeyHistory incoming, long now) {
        long olderThanRetention = now - config.retentionSeconds() + config.maxFutureSkewSeconds();
        long graveyardHorizon = graveyard.ownHorizonFor(StoreDigest.keyHash(incoming.key()));
        return incoming.horizon() <= olderThanRetention
                && incoming.base().stamp().timestamp() >= graveyardHorizon;
    }

    private void stateChanged(KeyLog log, Entry before) {
        Entry after = log.current();
        if (Objects.equals(before, after)) {
            return;
        }
        digests.changed(log, after);
        figures.changed(before, after);
    }
}
