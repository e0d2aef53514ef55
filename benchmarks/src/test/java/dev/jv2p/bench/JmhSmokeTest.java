package dev.jv2p.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark once, briefly and in this JVM, so that none of them rots: each must
 * produce a finite score for each of its parameter combinations. Numbers from this pass mean
 * nothing; full runs are described in docs/BENCHMARKS.md.
 */
class JmhSmokeTest {

    @Test
    void everyBenchmarkProducesAResult() throws RunnerException, IOException {
        Set<String> declared = declaredBenchmarks();
        assertFalse(declared.isEmpty(), "the JMH annotation processor generated no BenchmarkList");

        Options options = new OptionsBuilder()
                .include("dev\\.jv2p\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .timeUnit(TimeUnit.NANOSECONDS)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Set<String> measured = new TreeSet<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            double score = r.getPrimaryResult().getScore();
            assertTrue(Double.isFinite(score) && score > 0, name + " " + r.getParams() + " scored " + score);
            measured.add(name);
        }
        assertEquals(declared, measured, "benchmarks without a result");
        // each @Param value is a run of its own: 2 codecs x 2 + 3 compressions x 2 + 2 seen-cache
        // + 7 sync-store + 4 durability modes
        assertEquals(24, results.size(), "runs (benchmark x parameters)");
    }

    /** The benchmark methods the annotation processor listed, as {@code class.method}. */
    private static Set<String> declaredBenchmarks() throws IOException {
        Set<String> names = new TreeSet<>();
        try (InputStream in = JmhSmokeTest.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST)) {
            if (in != null) {
                for (BenchmarkListEntry e : BenchmarkList.readBenchmarkList(in)) {
                    names.add(e.getUsername());
                }
            }
        }
        return names;
    }
}
