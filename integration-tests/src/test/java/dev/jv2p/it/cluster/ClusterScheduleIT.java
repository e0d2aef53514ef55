package dev.jv2p.it.cluster;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Randomized schedules of partitions, heals, pauses, kills and writes against four nodes; at
 * the end everything is healed and every node must hold what the merge rule makes of the
 * acknowledged writes.
 *
 * <p>System properties: {@code jv2p.schedules} (how many, default 3, 0 for none; each picks a
 * fresh random seed), {@code jv2p.schedule.seconds} (length of each, default 20) and
 * {@code jv2p.schedule.seed} (run exactly that seed, printed by every run and failure).
 */
@ClusterTest
class ClusterScheduleIT {
    /** Like {@link ClusterConvergenceIT#HEAL_BOUND}, plus a restart's JVM start. */
    static final Duration HEAL_BOUND = Duration.ofSeconds(45);

    private static final Logger LOG = LoggerFactory.getLogger(ClusterScheduleIT.class);

    @RegisterExtension
    final ClusterExtension clusters = new ClusterExtension();

    static Stream<Long> seeds() {
        String fixed = System.getProperty("jv2p.schedule.seed", "").strip();
        if (!fixed.isEmpty()) {
            return Stream.of(Long.parseLong(fixed));
        }
        int count = Integer.parseInt(System.getProperty("jv2p.schedules", "3").strip());
        SecureRandom r = new SecureRandom();
        return LongStream.range(0, count).map(i -> r.nextLong() >>> 1).boxed();
    }

    @ParameterizedTest(name = "seed {0}", allowZeroInvocations = true)
    @MethodSource("seeds")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aRandomScheduleOfFaultsEndsWithEveryNodeHoldingWhatTheMergeRuleGives(long seed) throws Exception {
        Duration length = Duration.ofSeconds(
                Long.parseLong(System.getProperty("jv2p.schedule.seconds", "20").strip()));
        boolean leasing = new java.util.Random(seed).nextBoolean();
        LOG.info(
                "schedule seed {} ({} s, leasing {}); rerun with -Djv2p.schedule.seed={}",
                seed,
                length.toSeconds(),
                leasing ? "on" : "off",
                seed);
        Cluster cluster = clusters.start(Cluster.builder().nodes(4).leasing(leasing));
        Topologies.awaitConnected(cluster);
        WriteLog log = new WriteLog();
        Schedule schedule = new Schedule(seed, cluster, log);
        try {
            schedule.run(length);
            Duration took = Agreement.await(cluster, log, leasing, HEAL_BOUND, "after the schedule");
            LOG.info(
                    "schedule seed {}: {} acknowledged writes; identical dictionaries {} ms after the final heal",
                    seed,
                    log.size(),
                    took.toMillis());
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(
                    "schedule seed " + seed + " (leasing " + (leasing ? "on" : "off")
                            + ") failed; rerun with -Djv2p.schedule.seed=" + seed + ". Its steps:\n" + schedule.trace(),
                    e);
        }
    }
}
