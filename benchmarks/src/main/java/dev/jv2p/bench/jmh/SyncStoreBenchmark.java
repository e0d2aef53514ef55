package dev.jv2p.bench.jmh;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.internal.ApplyResult;
import dev.jv2p.sync.internal.KeyHistory;
import dev.jv2p.sync.internal.StoreDigest;
import dev.jv2p.sync.internal.SyncStore;
import dev.jv2p.sync.internal.SyncStoreConfig;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteStamp;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The merge engine on the receive path: {@link SyncStore#apply} of a peer's write, building the
 * {@link Write} as the replicator does. {@code applyFresh} fills an empty store with
 * {@value #KEYS} new keys; {@code applyOverwrite} writes every key of a full store again, one
 * second later each round, so histories grow to 64 writes (the retention is 64 s here; the cap
 * folds only writes older than the retention) and are compacted as on a live node. Both report the time per write.
 * {@code importFresh} is a joiner's work per key: {@link SyncStore#importHistory} of a
 * single-write history into an empty store, each owner a string of its own as decoded from the wire. {@code collectGarbage} is the
 * pass every anti-entropy round makes over a store of {@value #KEYS} keys with nothing old
 * enough to fold or bury, the usual case on the event loop; it reports the time per key.
 *
 * <p>The anti-entropy digest of a round, per key of the store: {@code xorDigest} is the XOR
 * construction jv2p used before (kept up to date on every write, so a round only copies it);
 * {@code bucketDigestAllChanged} the collision-resistant {@code BucketDigest} after a write in
 * every bucket (the worst case: every bucket recomputed), {@code bucketDigestOneChanged} after a
 * write in one bucket. Both constructions hash each written state once on the write path, which
 * {@code applyOverwrite} includes.
 */
public class SyncStoreBenchmark extends JmhSettings {
    static final int KEYS = 10_000;
    private static final long START = 1_760_000_000L;

    private Key[] keys;
    private String value;
    private SyncStoreConfig config;
    private SyncStore full;
    private SyncStore settled;
    private long round;
    private long collectAt;
    private long digestRound;
    private Key[] onePerBucket;
    private KeyHistory[] transfer;

    @Setup
    public void setUp() {
        keys = new Key[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = Key.of(Payloads.key('k', i));
        }
        value = Payloads.value(0);
        config = SyncStoreConfig.builder()
                .leasing(true)
                .maxHistoryPerKey(64)
                .retention(java.time.Duration.ofSeconds(64))
                .build();
        full = new SyncStore(config);
        round = START;
        writeAll(full, round, null);
        settled = new SyncStore(config);
        writeAll(settled, START, null);
        transfer = new KeyHistory[KEYS];
        for (int i = 0; i < KEYS; i++) {
            WriteStamp stamp = new WriteStamp(START, new String(Payloads.SENDER.toCharArray()), 0);
            transfer[i] = new KeyHistory(keys[i], START, null, List.of(Write.set(keys[i], value, stamp)));
        }
        collectAt = START;
        digestRound = START;
        onePerBucket = new Key[StoreDigest.BUCKETS];
        for (Key key : keys) {
            onePerBucket[StoreDigest.bucketOf(key)] = key; // 10,000 keys fill all 256 buckets
        }
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public SyncStore applyFresh(Blackhole bh) {
        SyncStore store = new SyncStore(config);
        writeAll(store, START, bh);
        return store;
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public SyncStore importFresh(Blackhole bh) {
        SyncStore store = new SyncStore(config);
        for (KeyHistory h : transfer) {
            bh.consume(store.importHistory(h, START));
        }
        return store;
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public void applyOverwrite(Blackhole bh) {
        writeAll(full, ++round, bh);
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public int collectGarbage() {
        return settled.collectGarbage(++collectAt); // every horizon moves up one second
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public Object xorDigest() {
        return settled.digest();
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public Object bucketDigestAllChanged() {
        long second = ++digestRound;
        for (Key key : onePerBucket) {
            settled.apply(Write.set(key, value, new WriteStamp(second, Payloads.SENDER, 0)), second);
        }
        return settled.bucketDigest();
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public Object bucketDigestOneChanged() {
        long second = ++digestRound;
        settled.apply(Write.set(onePerBucket[0], value, new WriteStamp(second, Payloads.SENDER, 0)), second);
        return settled.bucketDigest();
    }

    private void writeAll(SyncStore store, long second, Blackhole bh) {
        for (Key key : keys) {
            ApplyResult r = store.apply(Write.set(key, value, new WriteStamp(second, Payloads.SENDER, 0)), second);
            if (bh != null) {
                bh.consume(r);
            }
        }
    }
}
