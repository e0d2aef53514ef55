package dev.jv2p.sync.internal;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.LeaseConflictException;
import dev.jv2p.sync.SyncException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The merge engine of the synchronized dictionary: pure, deterministic, no I/O, no clock of
 * its own (every method that needs the time takes {@code now}, whole seconds). Not
 * thread-safe: one thread (the node's event loop) owns a store and calls every method.
 *
 * <h2>The merge rule</h2>
 *
 * <p>The state of a key (a value or a tombstone, with the stamp of the write that set it) is
 * what the p2p.today lease rule (spec §12.6) gives when the key's writes are applied one by one
 * in <em>merge order</em>, starting from no state, whatever order they arrived in:
 * <ul>
 *   <li>Merge order is {@link WriteStamp} order: timestamp, then owner id
 *       ({@link String#compareTo}), then the owner's sequence number. Writes sharing a whole
 *       stamp (only a js2p owner writing one key twice in one second makes them) follow by kind
 *       (SET, DELETE, DELTA), then by {@linkplain Canonical canonical} value.</li>
 *   <li>Let S be the state so far and W the next write. W passes if any of: (1) S is absent;
 *       (2) S's owner is W's owner; (3) W is a DELTA and leasing is off; (4) S.timestamp &lt;
 *       W.timestamp − leaseDuration; (5) S.timestamp = W.timestamp and S.owner &gt; W.owner;
 *       (6) leasing is off and S.timestamp &lt; W.timestamp. Rule 4 judges the lease by the
 *       writes' own timestamps, not by any receiver's clock, so every node judges alike.</li>
 *   <li>If W passes, a SET makes the state (W.value, W.stamp) and a DELETE (tombstone,
 *       W.stamp): a delete is a set of null and holds the lease like any write. A DELTA makes
 *       (S.value with W's entries put over it, W.stamp), starting from an empty map when S is
 *       absent or a tombstone; over any other value a DELTA has no effect, value and stamp
 *       stay (as in js2p). If W fails, S stays.</li>
 * </ul>
 *
 * <p>In merge order W never precedes S, so rule 5 never fires; a same-second set or delete by
 * a larger owner id fails (rule 5 wants the smaller id, rules 4 and 6 a later second), while
 * one by a smaller id comes first and holds the key: "same second, smaller owner id wins", as
 * in p2p.today. Where js2p merges in arrival order, outcomes differ: with leasing an older
 * write that arrives late takes the key (it held the lease first); an owner's own older write
 * arriving late does not replace its newer one; a delta older than the current value is
 * applied before it rather than onto it.
 *
 * <h2>Bounds</h2>
 *
 * <ul>
 *   <li>A write stamped more than {@code maxFutureSkew} after {@code now} is refused
 *       ({@link ApplyResult.Outcome#FUTURE}) and not kept.</li>
 *   <li>A key keeps a base state (the fold of its writes stamped before its <em>horizon</em>)
 *       and the writes since, for replay. {@link #collectGarbage} moves every horizon up to
 *       {@code now − retention}. One owner's writes of one second are folded into at most three
 *       (one when it only sets or only applies deltas, see {@link OwnerRun}) as they arrive, so a
 *       key written any number of times a second keeps one folded state per owner and second.
 *       A key holding more than {@code maxHistoryPerKey} writes folds its oldest into the base
 *       at once, but never past {@code now − retention}: no write is refused for bookkeeping.
 *       A write stamped before its key's horizon is refused ({@link ApplyResult.Outcome#STALE})
 *       and not kept; an honest peer sends none, since horizons trail the clock by the
 *       retention.</li>
 *   <li>{@link #collectGarbage} forgets a key whose state is a tombstone stamped before
 *       {@code now − retention − leaseDuration} with no writes held after it. A fixed-size
 *       graveyard keeps, per slot of key hash, the newest <em>lease end</em> of such a
 *       tombstone: the last second in which it refuses another owner's write (its timestamp,
 *       plus the lease duration with leasing). A key with no history here has the horizon
 *       "lease end + 1". Every write that followed the tombstone was refused by it, hence is
 *       stamped no later than its lease end, so peers that still hold such writes and send them
 *       again cannot bring the key back; nor can a node that missed the delete, or was away
 *       longer than the retention, with its old write. The price is that old writes to unknown
 *       keys sharing the slot are refused too. A node that was out of contact longer than the
 *       retention should drop its store and re-join rather than push its state: the graveyards
 *       of its peers refuse its old writes, but it keeps them itself. {@link #graveyard()}
 *       travels with a full transfer so that a joining node is protected as well.</li>
 * </ul>
 *
 * <p>Guarantee: two stores that received the same writes (in any order, with duplicates) hold
 * equal entries, provided each write reached each store while its timestamp was at least
 * {@code now − retention} by that store's clock (a clock that does not step back) and was not
 * FUTURE there. Folding a run is exact (same state for any state it meets, see
 * {@link OwnerRun}), and compaction folds a prefix of merge order, which a left fold allows; horizons stay
 * at or below {@code now − retention}; and the lease of a collected tombstone ended before
 * {@code now − retention}, so any write still arriving within the bound passes rule 4 or 6
 * over the tombstone, as it passes the graveyard and rule 1 without it. Writes lost in the
 * network are found again by anti-entropy: compare {@link #digest()}s, then exchange
 * {@link #historiesIn} for the buckets that differ and {@link #importHistory} them.
 * {@link #collectGarbage} visits every key: run it on a timer (a minute is plenty), not on
 * every anti-entropy round.
 */
public final class SyncStore {
    /** How many watermarks a graveyard holds (one per slot of key hash). */
    public static final int GRAVEYARD_SLOTS = Graveyard.SLOTS;
    private final SyncStoreConfig config;
    private final MergeRule rule;
    private final Map<Key, KeyLog> logs = new HashMap<>();
    private final long[] digest = new long[StoreDigest.BUCKETS];
    /** The {@link BucketDigest} of each bucket as last computed, and which buckets changed since. */
    private final byte[][] bucketHashes = new byte[StoreDigest.BUCKETS][];
    private final boolean[] dirtyBuckets = new boolean[StoreDigest.BUCKETS];
    private final Graveyard graveyard = new Graveyard();
    private int liveKeys;
    private int tombstones;
    private long liveBytes;
    /** Counted on the event loop and by {@link #checkLease} on writers' threads. */
    private final java.util.concurrent.atomic.LongAdder localLeaseConflicts = new java.util.concurrent.atomic.LongAdder();
    private long writesMerged;
    private long leaseRefusals;

    /** An empty store with these settings. */
    public SyncStore(SyncStoreConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.rule = new MergeRule(config.leasing(), config.leaseSeconds());
        java.util.Arrays.fill(bucketHashes, BucketDigest.EMPTY);
    }

    /**
     * Told, when a key's history is compacted, which writes its new base took: the writes the
     * merge rule let through, in merge order, from the old base. A mesh that authenticates
     * owners keeps from them the signed writes that establish a base folded from deltas.
     */
    public interface Folding {
        /**
         * @param from the base before ({@code null}: none)
         * @param taken the writes folded in that the rule took, in merge order
         * @param to the new base
         */
        void folded(Key key, Entry from, List<Write> taken, Entry to);
    }

    private Folding folding;

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
        Entry state = null;
        Write previous = null;
        for (Write w : chain) {
            if (!w.key().equals(base.key()) || previous != null && MergeRule.WRITE_ORDER.compare(previous, w) >= 0) {
                return false;
            }
            MergeRule.Step step = rule.apply(state, w);
            if (step.verdict() != MergeRule.Verdict.TAKEN) {
                return false;
            }
            state = step.state();
            previous = w;
        }
        return state != null && state.stamp().equals(base.stamp()) && state.isTombstone() == base.isTombstone()
                && Canonical.compare(state.value(), base.value()) == 0;
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
        if (outcome == ApplyResult.Outcome.REFUSED_LEASE) {
            leaseRefusals++;
        } else if (outcome != ApplyResult.Outcome.IGNORED) {
            writesMerged++;
        }
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
        WriteStamp stamp = log == null ? new WriteStamp(now, owner, 0) : log.nextStamp(owner, now);
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
                throw new LeaseConflictException(key, owner, holder.stamp().owner(), holder.stamp().timestamp(),
                        rule.writableAt(holder));
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
    public void checkLease(Key key, Write.Kind kind, String holderOwner, long holderTimestamp, String owner,
            long now) {
        Entry holder = new Entry(key, Boolean.TRUE, new WriteStamp(holderTimestamp, holderOwner, 0));
        if (!rule.allows(holder, kind, owner, now)) {
            localLeaseConflicts.increment();
            throw new LeaseConflictException(key, owner, holderOwner, holderTimestamp, rule.writableAt(holder));
        }
    }

    /** {@link #checkLocalWrite(Key, Write.Kind, String, long)} for a SET or DELETE. */
    public WriteStamp checkLocalWrite(Key key, String owner, long now) {
        return checkLocalWrite(key, Write.Kind.SET, owner, now);
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
        return liveKeys;
    }

    /** The number of deleted keys whose tombstone is still held (not yet collected). */
    public int tombstones() {
        return tombstones;
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
        return writesMerged;
    }

    /**
     * Writes refused by the lease rule ({@code REFUSED_LEASE}): from peers, live or in
     * transfers, since this node's own writes are checked before they are made.
     */
    public long leaseRefusals() {
        return leaseRefusals;
    }

    /** A rough total size of the keys and values held (tombstones excluded), as msgpack would write them. */
    public long estimatedBytes() {
        return liveBytes;
    }

    /** The keys that hold a value, with their metadata: what a join transfer to a js2p peer sends. */
    public List<Entry> entries() {
        return collect(logs.values(), false);
    }

    /** Every state held, tombstones included, ordered by key. */
    public List<Entry> allEntries() {
        return collect(logs.values(), true);
    }

    /** Every state held in the given digest buckets, tombstones included, ordered by key. */
    public List<Entry> entriesIn(Set<Integer> buckets) {
        return collect(inBuckets(buckets), true);
    }

    /**
     * The histories of every key held: a full transfer to a jv2p peer. Like every list of
     * histories this store returns, it is a view that makes each history when it is read (a
     * transfer holds one reference per key, not a copy of the store); read it on the store's
     * thread, where it shows each key as it is at that moment.
     */
    public List<KeyHistory> histories() {
        List<KeyLog> all = new ArrayList<>(logs.values());
        all.sort(Comparator.comparing(KeyLog::key));
        return historyView(all);
    }

    /** The histories of the keys in the given digest buckets, for anti-entropy (a view, see {@link #histories()}). */
    public List<KeyHistory> historiesIn(Set<Integer> buckets) {
        return historyView(inBuckets(buckets));
    }

    private static List<KeyHistory> historyView(List<KeyLog> logs) {
        return new java.util.AbstractList<>() {
            @Override
            public KeyHistory get(int index) {
                return history(logs.get(index));
            }

            @Override
            public int size() {
                return logs.size();
            }
        };
    }

    /** The history of {@code key}, if this store holds one (a live key, or a tombstone not yet collected). */
    public Optional<KeyHistory> history(Key key) {
        return Optional.ofNullable(logs.get(key)).map(SyncStore::history);
    }

    /**
     * Merges a peer's history of one key, taking nothing on the peer's word that the merge
     * rule would not give: the incoming base is treated as the write that produced it (a set,
     * or a delete for a tombstone, with the base's stamp) and merged like every incoming write,
     * by {@link #apply}; so it is refused if stamped before this store's horizon for the key,
     * and where it falls after it, the lease rule judges it against what this store holds. The
     * peer's horizon is never taken, with one exception: for a key this store holds nothing
     * of, a base older than the retention (its horizon at most {@code now − retention +
     * maxFutureSkew}) is taken as this store's base and horizon, as long as no delete collected
     * here may have removed it (it is stamped after the graveyard's watermark for its slot).
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
            if (log == null && takesCompactedBase(history, now)) {
                log = new KeyLog(key, StoreDigest.keyHash(key), history.horizon());
                logs.put(key, log);
                log.adoptWhileEmpty(base, history.horizon());
                stateChanged(log, before);
            } else {
                apply(base.isTombstone() ? Write.delete(key, base.stamp()) : Write.set(key, base.value(), base.stamp()),
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
        return StoreDigest.of(digest);
    }

    /**
     * The collision-resistant digest ({@link BucketDigest}); recomputes the buckets changed since
     * the last call, visiting every key once if any did.
     */
    public BucketDigest bucketDigest() {
        List<List<BucketDigest.EntryHash>> changed = new ArrayList<>(StoreDigest.BUCKETS);
        boolean any = false;
        for (int b = 0; b < StoreDigest.BUCKETS; b++) {
            changed.add(dirtyBuckets[b] ? new ArrayList<>() : null);
            any |= dirtyBuckets[b];
        }
        if (any) {
            for (KeyLog log : logs.values()) {
                List<BucketDigest.EntryHash> into = changed.get(StoreDigest.bucketOf(log.keyHash()));
                if (into != null && log.current() != null) {
                    into.add(log.fullEntryHash());
                }
            }
            for (int b = 0; b < StoreDigest.BUCKETS; b++) {
                if (changed.get(b) != null) {
                    BucketDigest.EntryHash[] hashes = changed.get(b).toArray(new BucketDigest.EntryHash[0]);
                    bucketHashes[b] = BucketDigest.hashOf(hashes, hashes.length);
                    dirtyBuckets[b] = false;
                }
            }
        }
        byte[][] copy = new byte[StoreDigest.BUCKETS][];
        for (int b = 0; b < copy.length; b++) {
            copy[b] = bucketHashes[b].clone();
        }
        return BucketDigest.wrap(copy);
    }

    /** The {@link BucketDigest} hash of a bucket that holds no entry. */
    public static byte[] emptyBucketHash() {
        return BucketDigest.EMPTY.clone();
    }

    /**
     * For the keys of the given buckets, the pairs (key hash, entry hash) a peer compares with
     * its own to narrow a differing bucket to the keys that differ, ordered by key hash.
     */
    public List<KeySummary> summariesIn(Set<Integer> buckets) {
        List<KeySummary> out = new ArrayList<>();
        for (KeyLog log : logs.values()) {
            if (log.current() != null && buckets.contains(StoreDigest.bucketOf(log.keyHash()))) {
                out.add(new KeySummary(log.keyHash(), log.fullEntryHash()));
            }
        }
        out.sort(Comparator.comparing(KeySummary::keyHash, Long::compareUnsigned)
                .thenComparing(KeySummary::entryHash));
        return out;
    }

    /** The histories of the keys whose key hash is in {@code keyHashes}: what a narrowed repair sends. */
    public List<KeyHistory> historiesOfKeyHashes(Set<Long> keyHashes) {
        List<KeyLog> out = new ArrayList<>();
        for (KeyLog log : logs.values()) {
            if (keyHashes.contains(log.keyHash())) {
                out.add(log);
            }
        }
        out.sort(Comparator.comparing(KeyLog::key));
        return historyView(out);
    }

    /**
     * The key hashes on which {@code mine} and {@code theirs} (each as {@link #summariesIn}
     * returns them) differ: held by one side only, or with other entry hashes.
     */
    public static Set<Long> differingKeyHashes(List<KeySummary> mine, List<KeySummary> theirs) {
        Map<Long, BucketDigest.EntryHash> index = new HashMap<>();
        for (KeySummary s : mine) {
            index.put(s.keyHash(), s.entryHash());
        }
        Set<Long> out = new java.util.TreeSet<>(Long::compareUnsigned);
        for (KeySummary s : theirs) {
            BucketDigest.EntryHash m = index.remove(s.keyHash());
            if (!s.entryHash().equals(m)) {
                out.add(s.keyHash());
            }
        }
        out.addAll(index.keySet());
        return out;
    }

    /** A key's place in a narrowed comparison: the first 8 bytes of SHA-256 of the key, and its entry hash. */
    public record KeySummary(long keyHash, BucketDigest.EntryHash entryHash) {
        /** Checks the entry hash is given. */
        public KeySummary {
            Objects.requireNonNull(entryHash, "entryHash");
        }
    }

    /**
     * Moves every key's horizon up to {@code now − retention} and forgets deleted keys whose
     * tombstone is older than {@code now − retention − leaseDuration}.
     *
     * @return the number of tombstones collected
     */
    public int collectGarbage(long now) {
        long horizon = now - config.retentionSeconds();
        long buryBefore = horizon - config.leaseSeconds();
        int collected = 0;
        for (Iterator<KeyLog> it = logs.values().iterator(); it.hasNext();) {
            KeyLog log = it.next();
            log.compact(horizon, rule, folding);
            Entry base = log.base();
            if (log.writeCount() == 0 && base != null && base.isTombstone() && base.stamp().timestamp() < buryBefore) {
                graveyard.bury(log.keyHash(), rule.writableAt(base) - 1);
                digest[StoreDigest.bucketOf(log.keyHash())] ^= log.entryHash();
                dirtyBuckets[StoreDigest.bucketOf(log.keyHash())] = true;
                it.remove();
                tombstones--;
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
        graveyard.merge(watermarks, now - config.retentionSeconds());
    }

    /** Whether a peer's compacted base of a key this store holds nothing of is taken as it is. */
    private boolean takesCompactedBase(KeyHistory incoming, long now) {
        long olderThanRetention = now - config.retentionSeconds() + config.maxFutureSkewSeconds();
        long graveyardHorizon = graveyard.horizonFor(StoreDigest.keyHash(incoming.key()));
        return incoming.horizon() <= olderThanRetention && incoming.base().stamp().timestamp() >= graveyardHorizon;
    }

    private void stateChanged(KeyLog log, Entry before) {
        Entry after = log.current();
        if (Objects.equals(before, after)) {
            return;
        }
        BucketDigest.EntryHash hash = after == null ? null : StoreDigest.entryHash(after);
        int bucket = StoreDigest.bucketOf(log.keyHash());
        digest[bucket] ^= log.entryHash() ^ (hash == null ? 0 : hash.high());
        dirtyBuckets[bucket] = true;
        log.entryHash(hash);
        liveKeys += isLive(after) - isLive(before);
        tombstones += isTombstone(after) - isTombstone(before);
        liveBytes += estimatedBytes(after) - estimatedBytes(before);
    }

    private static int isLive(Entry e) {
        return e != null && !e.isTombstone() ? 1 : 0;
    }

    private static int isTombstone(Entry e) {
        return e != null && e.isTombstone() ? 1 : 0;
    }

    private static long estimatedBytes(Entry e) {
        return isLive(e) == 0 ? 0 : e.key().length() + ValueSizes.estimate(e.value());
    }

    private List<KeyLog> inBuckets(Set<Integer> buckets) {
        List<KeyLog> out = new ArrayList<>();
        for (KeyLog log : logs.values()) {
            if (buckets.contains(StoreDigest.bucketOf(log.keyHash()))) {
                out.add(log);
            }
        }
        out.sort(Comparator.comparing(KeyLog::key));
        return out;
    }

    private static List<Entry> collect(Collection<KeyLog> from, boolean tombstones) {
        List<Entry> out = new ArrayList<>();
        for (KeyLog log : from) {
            Entry e = log.current();
            if (e != null && (tombstones || !e.isTombstone())) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(Entry::key));
        return out;
    }

    private static KeyHistory history(KeyLog log) {
        return new KeyHistory(log.key(), log.horizon(), log.base(), log.writes());
    }
}
