/**
 * The deterministic merge engine of the synchronized dictionary, for the network layer
 * ({@code SyncSocket}) only: {@link dev.jv2p.sync.internal.SyncStore} and the writes, stamps,
 * entries, histories and digests it works with. Nothing here does I/O, reads a clock or
 * starts a thread; not part of the user API and free to change.
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
 *       and the writes since, for replay. {@link SyncStore#collectGarbage} moves every horizon up to
 *       {@code now − retention}. One owner's writes of one second are folded into at most three
 *       (one when it only sets or only applies deltas, see {@link OwnerRun}) as they arrive, so a
 *       key written any number of times a second keeps one folded state per owner and second.
 *       A key holding more than {@code maxHistoryPerKey} writes folds its oldest into the base
 *       at once, but never past {@code now − retention}: no write is refused for bookkeeping.
 *       A write stamped before its key's horizon is refused ({@link ApplyResult.Outcome#STALE})
 *       and not kept; an honest peer sends none, since horizons trail the clock by the
 *       retention.</li>
 *   <li>{@link SyncStore#collectGarbage} forgets a key whose state is a tombstone stamped before
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
 *       of its peers refuse its old writes, but it keeps them itself. {@link SyncStore#graveyard()}
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
 * network are found again by anti-entropy: compare {@link SyncStore#digest()}s, then exchange
 * {@link SyncStore#historiesIn} for the buckets that differ and {@link SyncStore#importHistory} them.
 * {@link SyncStore#collectGarbage} visits every key: run it on a timer (a minute is plenty), not on
 * every anti-entropy round.
 */
package dev.jv2p.sync.internal;
