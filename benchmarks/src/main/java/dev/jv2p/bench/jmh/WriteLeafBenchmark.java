package dev.jv2p.bench.jmh;

import dev.jv2p.sync.Key;
import dev.jv2p.sync.internal.Write;
import dev.jv2p.sync.internal.WriteLeaf;
import dev.jv2p.sync.internal.WriteStamp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The leaf an owner signs and every receiver of a {@code TLS} mesh recomputes, once per write
 * ({@link WriteLeaf#of}): the canonical bytes of the write (its value a string of the harness's
 * entry size) and their SHA-256. A write batch of 1,024 writes costs 1,024 leaves on the
 * sender and on each receiver, before the Merkle tree and the one signature.
 */
public class WriteLeafBenchmark extends JmhSettings {
    private Write write;

    @Setup
    public void setUp() {
        write = Write.set(
                Key.of(Payloads.key('k', 42)),
                Payloads.value(42),
                new WriteStamp(1_760_000_000L, "7uyfwRXQ2NbT7GfBqWA1UtHt23ZrKL5Y9a8uS81HwSXY", 3));
    }

    @Benchmark
    public byte[] leaf() {
        return WriteLeaf.of("jv2p-bench", write);
    }
}
