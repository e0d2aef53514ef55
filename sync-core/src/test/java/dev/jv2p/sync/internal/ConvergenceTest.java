package dev.jv2p.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.spi.Values;
import dev.jv2p.sync.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convergence, as properties over seeded random histories: four owners with skewed clocks
 * (one of them js2p-like, without sequence numbers) write a handful of keys with sets, deletes
 * and deltas; three replicas receive every write late, out of order and some twice. Lease
 * 100 s and retention 2000 s, so leases expire and garbage collection bites within a run;
 * deliveries stay within the retention (some only just) and the future skew, the bounds
 * within which {@link SyncStore} promises convergence. A failure names its
 * seed; rerun that seed alone to debug it.
 */
class ConvergenceTest {
    private static final long LEASE = 100;
    private static final long RETENTION = 2000;
    private static final int REPLICAS = 3;
    private static final long ANTI_ENTROPY_PERIOD = 300;

    static Stream<Arguments> seeds() {
        return LongStream.rangeClosed(1, 25)
                .boxed()
                .flatMap(seed -> Stream.of(Arguments.of(seed, false), Arguments.of(seed, true)));
    }

    private static SyncStore replica(boolean leasing) {
        return new SyncStore(SyncStoreConfig.builder()
                .leasing(leasing)
                .leaseDuration(Duration.ofSeconds(LEASE))
                .retention(Duration.ofSeconds(RETENTION))
                // owners' clocks differ by up to 30 s and replicas' by 20 s: skew allowed to match
                .maxFutureSkew(Duration.ofSeconds(60))
                .build());
    }

    @ParameterizedTest(name = "seed={0}, leasing={1}")
    @MethodSource("seeds")
    void replicasThatReceiveTheSameWritesInAnyOrderHoldTheSameDictionary(long seed, boolean leasing) {
        Scenario scenario = new Scenario(seed);
        List<SyncStore> replicas = deliverToReplicas(scenario, leasing, false);

        SyncStore inMergeOrder = replica(leasing);
        scenario.distinctWritesInMergeOrder().forEach(w -> inMergeOrder.apply(w, scenario.end()));
        for (SyncStore r : replicas) {
            assertSameEntries(inMergeOrder.allEntries(), r.allEntries(), "seed=" + seed + ": replica vs merge order");
            assertEquals(inMergeOrder.histories(), r.histories(), "seed=" + seed);
            assertEquals(inMergeOrder.digest(), r.digest(), "seed=" + seed);
        }
        assertSameEntries(model(scenario.writes(), leasing), inMergeOrder.allEntries(), "seed=" + seed + ": vs model");
    }

    @ParameterizedTest(name = "seed={0}, leasing={1}")
    @MethodSource("seeds")
    void replicasCollectingGarbageConvergeWhileWritesArriveWithinTheRetention(long seed, boolean leasing) {
        Scenario scenario = new Scenario(seed);
        List<SyncStore> replicas = deliverToReplicas(scenario, leasing, true);
        long end = scenario.end();
        replicas.forEach(r -> r.collectGarbage(end));

        List<Entry> expected = withoutCollectableTombstones(model(scenario.writes(), leasing), end);
        for (SyncStore r : replicas) {
            assertSameEntries(expected, r.allEntries(), "seed=" + seed);
            assertEquals(replicas.get(0).digest(), r.digest(), "seed=" + seed);
        }
        assertTrue(scenario.end() - scenario.start() > 2 * (RETENTION + LEASE), "the run outlives the retention");
    }

    @ParameterizedTest(name = "seed={0}, leasing={1}")
    @MethodSource("seeds")
    void antiEntropyRoundsBringReplicasThatEachMissedWritesToTheSameDictionary(long seed, boolean leasing) {
        Scenario scenario = new Scenario(seed);
        Random random = new Random(seed * 31 + 7);
        List<SyncStore> replicas = new ArrayList<>();
        long[] clockSkews = new long[REPLICAS];
        for (int i = 0; i < REPLICAS; i++) {
            replicas.add(replica(leasing));
            clockSkews[i] = random.nextInt(41) - 20;
        }
        // events: {time, replica, write index}; write index -1 is an anti-entropy round
        List<long[]> events = new ArrayList<>();
        for (int w = 0; w < scenario.writes().size(); w++) {
            int sure = random.nextInt(REPLICAS); // every write reaches one replica; the others may miss it
            for (int i = 0; i < REPLICAS; i++) {
                if (i == sure || random.nextDouble() < 0.5) {
                    // a replica that missed a write learns it at the next round, so leave a period of room
                    long delay = Math.min(delay(random), RETENTION - 400 - ANTI_ENTROPY_PERIOD + random.nextInt(40));
                    events.add(new long[] {scenario.realTimes().get(w) + delay, i, w});
                }
            }
        }
        for (long t = scenario.start(); t <= scenario.end(); t += ANTI_ENTROPY_PERIOD) {
            events.add(new long[] {t, 0, -1});
        }
        events.sort(Comparator.comparingLong(e -> e[0]));

        for (long[] e : events) {
            if (e[2] >= 0) {
                SyncStore r = replicas.get((int) e[1]);
                ApplyResult.Outcome outcome = r.apply(scenario.writes().get((int) e[2]), e[0] + clockSkews[(int) e[1]])
                        .outcome();
                assertTrue(
                        outcome != ApplyResult.Outcome.STALE && outcome != ApplyResult.Outcome.FUTURE,
                        "seed=" + seed + ": deliveries stay within the bounds, got " + outcome);
                continue;
            }
            for (int i = 0; i < REPLICAS; i++) {
                if (random.nextInt(3) == 0) {
                    replicas.get(i).collectGarbage(e[0] + clockSkews[i]);
                }
                int j = (i + 1) % REPLICAS;
                exchange(replicas.get(i), e[0] + clockSkews[i], replicas.get(j), e[0] + clockSkews[j]);
            }
        }
        long end = scenario.end() + 1;
        replicas.forEach(r -> r.collectGarbage(end));

        List<Entry> expected = withoutCollectableTombstones(model(scenario.writes(), leasing), end);
        for (SyncStore r : replicas) {
            assertSameEntries(expected, r.allEntries(), "seed=" + seed);
            assertEquals(replicas.get(0).digest(), r.digest(), "seed=" + seed);
        }
    }

    /** {@link AntiEntropyTest#exchange}, with each side on its own clock. */
    private static void exchange(SyncStore a, long nowA, SyncStore b, long nowB) {
        Set<Integer> buckets = new TreeSet<>();
        for (int bucket : a.digest().differingBuckets(b.digest())) {
            buckets.add(bucket);
        }
        List<KeyHistory> fromA = a.historiesIn(buckets);
        List<KeyHistory> fromB = b.historiesIn(buckets);
        fromA.forEach(h -> b.importHistory(h, nowB));
        fromB.forEach(h -> a.importHistory(h, nowA));
    }

    private static List<Entry> withoutCollectableTombstones(List<Entry> entries, long now) {
        return entries.stream()
                .filter(e -> !e.isTombstone() || e.stamp().timestamp() >= now - RETENTION - LEASE)
                .toList();
    }

    /** Delivers every write (some twice) to each replica, each copy delayed at random, in delivery-time order. */
    private static List<SyncStore> deliverToReplicas(Scenario scenario, boolean leasing, boolean collectGarbage) {
        Random random = new Random(scenario.seed() * 17 + 3);
        List<SyncStore> replicas = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            SyncStore store = replica(leasing);
            long clockSkew = random.nextInt(41) - 20;
            List<long[]> deliveries = new ArrayList<>(); // {delivery time, write index}
            for (int w = 0; w < scenario.writes().size(); w++) {
                int copies = random.nextInt(5) == 0 ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    long delay = delay(random);
                    deliveries.add(new long[] {scenario.realTimes().get(w) + delay, w});
                }
            }
            java.util.Collections.shuffle(deliveries, random);
            deliveries.sort(Comparator.comparingLong(d -> d[0]));
            for (long[] d : deliveries) {
                long now = d[0] + clockSkew;
                ApplyResult result = store.apply(scenario.writes().get((int) d[1]), now);
                assertTrue(
                        result.outcome() != ApplyResult.Outcome.STALE && result.outcome() != ApplyResult.Outcome.FUTURE,
                        "seed=" + scenario.seed() + ": deliveries stay within the bounds, got " + result.outcome());
                if (collectGarbage && random.nextInt(20) == 0) {
                    store.collectGarbage(now);
                }
            }
            replicas.add(store);
        }
        return replicas;
    }

    /** Mostly prompt, often minutes late, and now and then a straggler that arrives just inside the retention. */
    private static long delay(Random random) {
        int dice = random.nextInt(30);
        if (dice < 10) {
            return random.nextInt(5);
        }
        if (dice < 29) {
            return random.nextInt(600);
        }
        // the retention minus room for the clock skews (30 s of an owner plus 20 s of a replica)
        return RETENTION - 400 + random.nextInt(340);
    }

    private static void assertSameEntries(List<Entry> expected, List<Entry> actual, String message) {
        assertEquals(expected.size(), actual.size(), message + "\nexpected " + expected + "\nactual   " + actual);
        for (int i = 0; i < expected.size(); i++) {
            Entry e = expected.get(i);
            Entry a = actual.get(i);
            assertTrue(
                    e.key().equals(a.key()) && e.stamp().equals(a.stamp()) && Values.deepEquals(e.value(), a.value()),
                    message + "\nexpected " + e + "\nactual   " + a);
        }
    }

    /**
     * The merge rule restated independently of the engine: sort the distinct writes into merge
     * order, then run spec §12.6 with "now" being each write's own timestamp.
     */
    static List<Entry> model(Collection<Write> writes, boolean leasing) {
        Map<Key, Entry> state = new TreeMap<>();
        for (Write w : Scenario.mergeOrder(writes)) {
            Entry s = state.get(w.key());
            boolean delta = w.kind() == Write.Kind.DELTA;
            boolean passes = s == null
                    || s.stamp().owner().equals(w.owner())
                    || (delta && !leasing)
                    || s.stamp().timestamp() < w.timestamp() - LEASE
                    || (s.stamp().timestamp() == w.timestamp()
                            && s.stamp().owner().compareTo(w.owner()) > 0)
                    || (!leasing && s.stamp().timestamp() < w.timestamp());
            if (!passes) {
                continue;
            }
            if (!delta) {
                state.put(w.key(), new Entry(w.key(), w.value(), w.stamp()));
            } else if (s == null || s.isTombstone() || s.value() instanceof Map<?, ?>) {
                Map<Object, Object> merged = new LinkedHashMap<>();
                if (s != null && s.value() instanceof Map<?, ?> m) {
                    merged.putAll(m);
                }
                merged.putAll((Map<?, ?>) w.value());
                state.put(w.key(), new Entry(w.key(), merged, w.stamp()));
            }
        }
        return new ArrayList<>(state.values());
    }

    /** One random history of writes, reproducible from its seed. */
    static final class Scenario {
        private static final List<String> KEYS = List.of("k0", "k1", "k2", "k3", "k4");
        private final long seed;
        private final List<Write> writes = new ArrayList<>();
        private final List<Long> realTimes = new ArrayList<>();
        private final long start = Fixtures.T;
        private long end;

        Scenario(long seed) {
            this.seed = seed;
            Random random = new Random(seed);
            List<String> owners = owners(random);
            String js2pLike = owners.get(0);
            Map<String, Long> skews = new HashMap<>();
            owners.forEach(o -> skews.put(o, (long) random.nextInt(61) - 30));
            Map<String, Long> seqs = new HashMap<>();
            long now = start;
            for (int i = 0; i < 250; i++) {
                now += step(random);
                String owner = owners.get(random.nextInt(owners.size()));
                String key = KEYS.get(random.nextInt(KEYS.size()));
                long timestamp = now + skews.get(owner);
                long seq =
                        owner.equals(js2pLike) ? 0 : seqs.merge(owner + "/" + key + "/" + timestamp, 1L, Long::sum) - 1;
                writes.add(write(random, Key.of(key), new WriteStamp(timestamp, owner, seq)));
                realTimes.add(now);
            }
            end = now + RETENTION;
        }

        long seed() {
            return seed;
        }

        List<Write> writes() {
            return writes;
        }

        List<Long> realTimes() {
            return realTimes;
        }

        long start() {
            return start;
        }

        long end() {
            return end;
        }

        List<Write> distinctWritesInMergeOrder() {
            return mergeOrder(writes);
        }

        static List<Write> mergeOrder(Collection<Write> writes) {
            Set<Write> sorted = new TreeSet<>(Comparator.comparing(Write::key)
                    .thenComparing(Write::stamp)
                    .thenComparing(Write::kind)
                    .thenComparing((a, b) -> Canonical.compare(a.value(), b.value())));
            sorted.addAll(writes);
            return new ArrayList<>(sorted);
        }

        private static List<String> owners(Random random) {
            Set<String> owners = new TreeSet<>();
            while (owners.size() < 4) {
                StringBuilder id = new StringBuilder();
                for (int i = 0; i < 3; i++) {
                    id.append((char) ('a' + random.nextInt(4)));
                }
                owners.add(id.toString());
            }
            List<String> shuffled = new ArrayList<>(owners);
            java.util.Collections.shuffle(shuffled, random);
            return shuffled;
        }

        /** Real seconds between two writes: often the same second, sometimes past a lease. */
        private static long step(Random random) {
            int dice = random.nextInt(10);
            if (dice < 2) {
                return 0;
            }
            if (dice < 6) {
                return 1 + random.nextInt(10);
            }
            if (dice < 9) {
                return 10 + random.nextInt(140);
            }
            return 150 + random.nextInt(250);
        }

        private static Write write(Random random, Key key, WriteStamp stamp) {
            int dice = random.nextInt(20);
            if (dice < 3) {
                return Write.delete(key, stamp);
            }
            if (dice < 9) {
                Map<Object, Object> delta = new HashMap<>();
                for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
                    delta.put(
                            String.valueOf((char) ('a' + random.nextInt(3))),
                            random.nextInt(5) == 0 ? null : (long) random.nextInt(4));
                }
                return Write.delta(key, delta, stamp);
            }
            return Write.set(key, value(random), stamp);
        }

        private static Object value(Random random) {
            return switch (random.nextInt(5)) {
                case 0 -> (long) random.nextInt(4);
                case 1 -> "s" + random.nextInt(4);
                case 2 -> new byte[] {(byte) random.nextInt(3)};
                case 3 -> List.of((long) random.nextInt(3), "x");
                default -> Map.of("a", (long) random.nextInt(3));
            };
        }
    }
}
