package dev.jv2p.it.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * A seeded random schedule of faults and writes against a running cluster: partitions,
 * isolated nodes, heals, pauses, kill -9 and restarts, with writes and deletes in between,
 * some to keys of one writer and some to keys every node writes. The same seed gives the same
 * sequence of steps; how the nodes interleave with it still depends on timing.
 *
 * <p>Runs on the test thread only.
 */
final class Schedule {
    private static final int SHARED_KEYS = 3;
    private static final int OWN_KEYS = 4;

    private final Random random;
    private final Cluster cluster;
    private final WriteLog log;
    private final List<String> trace = new ArrayList<>();
    private final Map<ClusterNode, Long> unpauseAt = new LinkedHashMap<>();
    private final Map<ClusterNode, Long> restartAt = new LinkedHashMap<>();
    private long start;
    private int values;

    Schedule(long seed, Cluster cluster, WriteLog log) {
        this.random = new Random(seed);
        this.cluster = cluster;
        this.log = log;
    }

    /** Runs random steps for {@code length}, then heals, thaws and restarts everything. */
    void run(Duration length) throws InterruptedException {
        start = System.nanoTime();
        long end = start + length.toNanos();
        while (System.nanoTime() < end) {
            dueEvents();
            step();
            // The pause between steps is part of the schedule: it decides what overlaps.
            Thread.sleep(100 + random.nextInt(500));
        }
        settle();
    }

    /** What was done, one step a line with its time since the start. */
    String trace() {
        return String.join("\n", trace);
    }

    private void step() {
        int roll = random.nextInt(100);
        List<ClusterNode> running = cluster.running();
        if (roll < 8 && !cluster.isCut()) {
            partition();
        } else if (roll < 16
                && cluster.nodes().stream().filter(cluster::isCutOff).count() < 2) {
            isolate();
        } else if (roll < 26 && cluster.isCut()) {
            cluster.healAll();
            note("heal all");
        } else if (roll < 32 && unpauseAt.isEmpty() && running.size() > 1) {
            ClusterNode n = pick(running);
            n.pause();
            unpauseAt.put(n, System.nanoTime() + millis(1000 + random.nextInt(5000)));
            note("pause " + n.name());
        } else if (roll < 38 && restartAt.isEmpty() && running.size() > 1) {
            ClusterNode n = pick(running);
            String id = n.id();
            n.kill();
            log.killed(id);
            restartAt.put(n, System.nanoTime() + millis(1000 + random.nextInt(4000)));
            note("kill -9 " + n.name());
        } else if (roll < 45 && !running.isEmpty()) {
            ClusterNode n = pick(running);
            String key = key(n);
            note("del " + key + " on " + n.name() + (log.del(n, key) ? "" : " (nothing there or refused)"));
        } else if (!running.isEmpty()) {
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                ClusterNode n = pick(running);
                String key = key(n);
                String value = "v" + values++;
                note("set " + key + " " + value + " on " + n.name() + (log.set(n, key, value) ? "" : " (refused)"));
            }
        }
    }

    /** Two random sides; the side with the seed moves, so that its own links come back. */
    private void partition() {
        List<ClusterNode> shuffled = new ArrayList<>(cluster.nodes());
        Collections.shuffle(shuffled, random);
        int k = 1 + random.nextInt(shuffled.size() - 1);
        List<ClusterNode> side = shuffled.subList(0, k);
        List<ClusterNode> other = shuffled.subList(k, shuffled.size());
        List<ClusterNode> moving = side.contains(cluster.node("a")) ? side : other;
        cluster.cut(moving);
        note("partition " + names(side) + " | " + names(other));
    }

    private void isolate() {
        List<ClusterNode> candidates =
                cluster.nodes().stream().filter(n -> !cluster.isCutOff(n)).toList();
        ClusterNode n = pick(candidates);
        cluster.cut(List.of(n));
        note("isolate " + n.name());
    }

    private void dueEvents() {
        long now = System.nanoTime();
        unpauseAt.entrySet().removeIf(e -> {
            if (e.getValue() <= now) {
                e.getKey().unpause();
                note("unpause " + e.getKey().name());
                return true;
            }
            return false;
        });
        restartAt.entrySet().removeIf(e -> {
            if (e.getValue() <= now) {
                e.getKey().restart();
                note("restart " + e.getKey().name());
                return true;
            }
            return false;
        });
    }

    private void settle() {
        cluster.healAll();
        unpauseAt.keySet().forEach(ClusterNode::unpause);
        unpauseAt.clear();
        restartAt.keySet().forEach(ClusterNode::restart);
        restartAt.clear();
        note("end: every node back on the network, thawed and restarted");
    }

    private String key(ClusterNode writer) {
        return random.nextInt(10) < 4
                ? "shared-" + random.nextInt(SHARED_KEYS)
                : "own-" + writer.name() + "-" + random.nextInt(OWN_KEYS);
    }

    private ClusterNode pick(List<ClusterNode> from) {
        return from.get(random.nextInt(from.size()));
    }

    private void note(String step) {
        trace.add(String.format("%7.1f s  %s", (System.nanoTime() - start) / 1e9, step));
    }

    private static long millis(long ms) {
        return ms * 1_000_000;
    }

    private static String names(List<ClusterNode> nodes) {
        return nodes.stream().map(ClusterNode::name).sorted().collect(Collectors.joining(",", "{", "}"));
    }
}
