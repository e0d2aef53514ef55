package dev.jv2p.sync.internal;

import static dev.jv2p.sync.internal.Fixtures.T;
import static dev.jv2p.sync.internal.Fixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.Key;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hot keys: a key written any number of times a second keeps every write's effect and a
 * bounded history. Each property compares a store, which folds one owner's writes of one second
 * as they arrive, with the merge rule applied to the full history (no folding), over seeded
 * random histories; a failing case prints its seed.
 */
class HotKeyFoldingTest {
    private static final Key K = key("hot");
    private static final String[] OWNERS = {"alice", "bob", "carol"};

    @Test
    void aKeyWrittenManyTimesASecondAppliesEveryWriteAndLogsNothingAway() {
        SyncStore store = Fixtures.store(true);
        for (int i = 0; i < 10_000; i++) {
            WriteStamp stamp = store.checkLocalWrite(K, Write.Kind.SET, "bob", T);
            ApplyResult r = store.apply(Write.set(K, (long) i, stamp), T);
            assertEquals(ApplyResult.Outcome.ACCEPTED, r.outcome(), "write " + i);
        }

        assertEquals(9_999L, store.get(K));
        assertEquals(
                new WriteStamp(T, "bob", 9_999), store.entry(K).orElseThrow().stamp());
        assertEquals(1, store.history(K).orElseThrow().writes().size());
    }

    /** Six million writes each (about two seconds): one seed per leasing mode; -Djv2p.hotkey.seeds=N for more. */
    static Stream<Arguments> seedsAndModes() {
        long seeds = Long.getLong("jv2p.hotkey.seeds", 1);
        return LongStream.rangeClosed(1, seeds)
                .boxed()
                .flatMap(seed -> Stream.of(Arguments.of(seed, true), Arguments.of(seed + 1000, false)));
    }

    /**
     * One owner writing one key 100,000 times a second for 60 s keeps one folded state per
     * second; another owner's write arriving late, anywhere in that minute, gives what the merge
     * rule gives over the full history of six million writes.
     */
    @ParameterizedTest(name = "seed={0}, leasing={1}")
    @MethodSource("seedsAndModes")
    void aMinuteAtAHundredThousandWritesASecondKeepsOneStatePerSecondAndMergesALateWriteExactly(
            long seed, boolean leasing) {
        Random random = new Random(seed);
        int perSecond = 100_000;
        int seconds = 60;
        SyncStore store = Fixtures.store(leasing);
        MergeRule rule = new MergeRule(leasing, 3600);
        for (int s = 0; s < seconds; s++) {
            for (int i = 0; i < perSecond; i++) {
                WriteStamp stamp = store.checkLocalWrite(K, Write.Kind.SET, "bob", T + s);
                store.apply(Write.set(K, (long) s * perSecond + i, stamp), T + s);
            }
        }
        assertTrue(store.history(K).orElseThrow().writes().size() <= seconds, "seed=" + seed);

        String lateOwner = random.nextBoolean() ? "alice" : "carol"; // before or after bob within its second
        long lateSecond = T + random.nextInt(seconds);
        Write late = switch (random.nextInt(3)) {
            case 0 -> Write.set(K, "late", new WriteStamp(lateSecond, lateOwner, 0));
            case 1 -> Write.delete(K, new WriteStamp(lateSecond, lateOwner, 0));
            default -> Write.delta(K, Map.of("late", 1L), new WriteStamp(lateSecond, lateOwner, 0));
        };
        store.apply(late, T + seconds);

        // the merge rule over the whole history, streamed in merge order
        Entry expected = null;
        for (int s = 0; s < seconds; s++) {
            boolean lateHere = late.timestamp() == T + s;
            if (lateHere && lateOwner.compareTo("bob") < 0) {
                expected = rule.apply(expected, late).state();
            }
            for (int i = 0; i < perSecond; i++) {
                expected = rule.apply(expected, Write.set(K, (long) s * perSecond + i, new WriteStamp(T + s, "bob", i)))
                        .state();
            }
            if (lateHere && lateOwner.compareTo("bob") > 0) {
                expected = rule.apply(expected, late).state();
            }
        }
        assertEquals(expected, store.entry(K).orElse(null), "seed=" + seed + ", late " + late);
    }

    /**
     * Random histories of sets, deletes and deltas by three owners over a few seconds, many
     * writes per owner and second, delivered in random order with copies and stragglers: the
     * folding store ends in the state the merge rule gives over every distinct write, holds the
     * same state whatever the order, and keeps at most three writes per jv2p owner and second.
     */
    @ParameterizedTest(name = "seed={0}, leasing={1}")
    @MethodSource("manySeeds")
    void foldingLeavesTheStateTheFullHistoryGivesInAnyArrivalOrder(long seed, boolean leasing) {
        Random random = new Random(seed);
        MergeRule rule = new MergeRule(leasing, 3);
        List<Write> history = randomHistory(random);

        Entry expected = null;
        List<Write> sorted = new ArrayList<>(new LinkedHashSet<>(history));
        sorted.sort(MergeRule.WRITE_ORDER);
        for (Write w : sorted) {
            expected = rule.apply(expected, w).state();
        }

        SyncStore inOrder = store(leasing);
        for (Write w : history) {
            inOrder.apply(w, T + 10);
        }
        SyncStore shuffled = store(leasing);
        List<Write> deliveries = new ArrayList<>(history);
        for (int i = 0; i < history.size() / 4; i++) {
            deliveries.add(history.get(random.nextInt(history.size()))); // copies
        }
        Collections.shuffle(deliveries, random);
        for (Write w : deliveries) {
            shuffled.apply(w, T + 10);
        }

        assertEquals(expected, inOrder.entry(K).orElse(null), "seed=" + seed + " in order");
        assertEquals(expected, shuffled.entry(K).orElse(null), "seed=" + seed + " shuffled");
        Map<String, Integer> perRun = new HashMap<>();
        for (Write w : inOrder.history(K).orElseThrow().writes()) {
            perRun.merge(w.timestamp() + "/" + w.owner(), 1, Integer::sum);
        }
        // js2p owners ("carol") stamp a second's writes alike: only their sets fold
        perRun.forEach((run, n) ->
                assertTrue(run.endsWith("carol") || n <= 3, "seed=" + seed + ": run " + run + " keeps " + n));
    }

    static Stream<Arguments> manySeeds() {
        return LongStream.rangeClosed(1, 150)
                .boxed()
                .flatMap(seed -> Stream.of(Arguments.of(seed, true), Arguments.of(seed, false)));
    }

    @Test
    void aWriteFoldedAwaySentAgainIsADuplicateAndChangesNothing() {
        SyncStore store = store(false);
        List<Write> run = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            run.add(Write.delta(K, Map.of("f" + i, (long) i, "shared", (long) i), new WriteStamp(T, "bob", i)));
        }
        run.forEach(w -> store.apply(w, T));
        Entry before = store.entry(K).orElseThrow();
        assertEquals(1, store.history(K).orElseThrow().writes().size());

        for (Write w : run) {
            assertEquals(ApplyResult.Outcome.DUPLICATE, store.apply(w, T).outcome(), w.toString());
        }
        assertEquals(before, store.entry(K).orElseThrow());
        assertEquals(4L, ((Map<?, ?>) before.value()).get("shared"));
    }

    @Test
    void deltasAroundAMissingWriteStayApartUntilItArrives() {
        SyncStore store = store(false);
        Write d0 = Write.delta(K, Map.of("f", 0L), new WriteStamp(T, "bob", 0));
        Write s1 = Write.set(K, Map.of("g", 1L), new WriteStamp(T, "bob", 1));
        Write d2 = Write.delta(K, Map.of("f", 2L), new WriteStamp(T, "bob", 2));
        store.apply(d0, T);
        store.apply(d2, T);
        assertEquals(2, store.history(K).orElseThrow().writes().size(), "seq 1 is missing: no merge across it");

        store.apply(s1, T);

        assertEquals(Map.of("g", 1L, "f", 2L), store.get(K));
        assertNotEquals(
                ApplyResult.Outcome.DUPLICATE,
                store.apply(Write.delta(K, Map.of("h", 3L), new WriteStamp(T, "bob", 3)), T)
                        .outcome());
    }

    private static SyncStore store(boolean leasing) {
        return new SyncStore(SyncStoreConfig.builder()
                .leasing(leasing)
                .leaseDuration(java.time.Duration.ofSeconds(3))
                .build());
    }

    /**
     * Writes of three owners over five seconds. A jv2p-like owner numbers its writes of one
     * second 0, 1, 2 ...; "carol" writes like js2p (every write of a second stamped alike).
     */
    private static List<Write> randomHistory(Random random) {
        List<Write> out = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            for (String owner : OWNERS) {
                int n = random.nextInt(8);
                Set<Object> js2pValues = new java.util.HashSet<>();
                for (int i = 0; i < n; i++) {
                    long seq = owner.equals("carol") ? 0 : i;
                    WriteStamp stamp = new WriteStamp(T + s, owner, seq);
                    Write w = switch (random.nextInt(4)) {
                        case 0 -> Write.set(K, "v" + random.nextInt(4), stamp);
                        case 1 -> Write.set(K, Map.of("m", (long) random.nextInt(4)), stamp);
                        case 2 -> Write.delete(K, stamp);
                        default -> Write.delta(K, Map.of("f" + random.nextInt(3), (long) random.nextInt(9)), stamp);
                    };
                    if (!owner.equals("carol") || js2pValues.add(w.kind() + ":" + w.value())) {
                        out.add(w);
                    }
                }
            }
        }
        return out;
    }
}
