package dev.jv2p.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The writes that nodes acknowledged, and the check that a converged dictionary holds what the
 * merge rule of {@code SyncStore} makes of them: no acknowledged write is lost unless the rule
 * says it lost to another write, and nothing appears that nobody wrote.
 *
 * <p>The rule is re-stated here on purpose, independently of sync-core: a key's writes are
 * folded in stamp order (timestamp, owner id, the owner's order); a write passes if the key has
 * no state yet, the same owner set it, or (with leasing) the state is older than the lease of
 * one hour, or (without leasing) older at all. A delete is a write of nothing that holds the
 * lease too.
 *
 * <p>A write's timestamp (whole seconds) is read back right after it ({@code set} then
 * {@code get} on one connection). Where that fails, only the second it fell in is known, and
 * a write by a node that was later killed may have died with it; a key with such a write is
 * checked loosely: its value must be one that was written there, by that writer.
 */
final class WriteLog {
    static final long LEASE_SECONDS = 3600;

    /** One acknowledged write; {@code value == null} is a delete. */
    record Write(
            String key,
            JsonNode value,
            String owner,
            String node,
            long tsLow,
            long tsHigh,
            long order,
            boolean mayBeLost) {
        boolean exact() {
            return tsLow == tsHigh && !mayBeLost;
        }

        Write lost() {
            return new Write(key, value, owner, node, tsLow, tsHigh, order, true);
        }
    }

    private final List<Write> writes = new ArrayList<>();
    private long order;

    /** {@code set key value} on {@code node}; returns whether the node accepted it. */
    boolean set(ClusterNode node, String key, String value) {
        long before = nowSeconds();
        List<JsonNode> answers = node.call("set " + key + " " + value, "get " + key);
        long after = nowSeconds();
        if (!answers.get(0).path("ok").asBoolean()) {
            return false; // refused, e.g. another node holds the lease: nothing was written
        }
        JsonNode got = answers.get(1);
        boolean readBack = TextNode.valueOf(value).equals(got.get("value"))
                && node.id().equals(got.path("owner").asText());
        long low = readBack ? got.get("timestamp").asLong() : before;
        long high = readBack ? low : after;
        record(new Write(key, TextNode.valueOf(value), node.id(), node.name(), low, high, 0, false));
        return true;
    }

    /** {@code del key} on {@code node}; returns whether it deleted a value the node held. */
    boolean del(ClusterNode node, String key) {
        long before = nowSeconds();
        List<JsonNode> answers = node.call("get " + key, "del " + key);
        long after = nowSeconds();
        boolean held = !answers.get(0).path("value").isNull() && answers.get(0).has("value");
        if (!answers.get(1).path("ok").asBoolean() || !held) {
            return false; // refused, or nothing to delete: no write
        }
        record(new Write(key, null, node.id(), node.name(), before, after, 0, false));
        return true;
    }

    private synchronized void record(Write w) {
        writes.add(new Write(w.key(), w.value(), w.owner(), w.node(), w.tsLow(), w.tsHigh(), order++, w.mayBeLost()));
    }

    /** The node {@code owner} was killed: what it wrote so far may not have left it. */
    synchronized void killed(String owner) {
        writes.replaceAll(w -> w.owner().equals(owner) ? w.lost() : w);
    }

    synchronized int size() {
        return writes.size();
    }

    /** Problems with {@code dictionary} as the converged result of these writes; empty if none. */
    synchronized List<String> violations(Map<String, Entry> dictionary, boolean leasing) {
        Map<String, List<Write>> byKey = new LinkedHashMap<>();
        writes.forEach(
                w -> byKey.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w));
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(dictionary.keySet())) {
            if (!byKey.containsKey(key)) {
                problems.add(key + " = " + dictionary.get(key) + " but nobody wrote it");
            }
        }
        byKey.forEach((key, ws) -> {
            Entry actual = dictionary.get(key);
            if (ws.stream().allMatch(Write::exact)) {
                Entry expected = fold(ws, leasing);
                if (!Objects.equals(expected, actual)) {
                    problems.add(key + " = " + actual + " but the merge rule gives " + expected + " from " + ws);
                }
            } else if (!plausible(ws, actual)) {
                problems.add(key + " = " + actual + " is none of its writes " + ws);
            }
        });
        return problems;
    }

    /** What the merge rule makes of {@code ws}: the surviving entry, or null for none or a delete. */
    static Entry fold(List<Write> ws, boolean leasing) {
        List<Write> sorted = new ArrayList<>(ws);
        sorted.sort(Comparator.comparingLong(Write::tsLow)
                .thenComparing(Write::owner)
                .thenComparingLong(Write::order));
        Write state = null;
        for (Write w : sorted) {
            boolean passes = state == null
                    || state.owner().equals(w.owner())
                    || (leasing ? state.tsLow() < w.tsLow() - LEASE_SECONDS : state.tsLow() < w.tsLow());
            if (passes) {
                state = w;
            }
        }
        return state == null || state.value() == null ? null : new Entry(state.value(), state.owner(), state.tsLow());
    }

    private static boolean plausible(List<Write> ws, Entry actual) {
        if (actual == null) {
            return ws.stream().anyMatch(w -> w.value() == null) || ws.stream().allMatch(Write::mayBeLost);
        }
        return ws.stream()
                .anyMatch(w -> w.value() != null
                        && w.value().equals(actual.value())
                        && w.owner().equals(actual.owner())
                        && w.tsLow() <= actual.timestamp()
                        && actual.timestamp() <= w.tsHigh());
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
