package dev.jv2p.transport.tls;

import static org.awaitility.Awaitility.await;

import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.internal.PlaintextTransport;
import dev.jv2p.mesh.spi.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints how long a connection takes to become usable (dial until the peer's p2p.today
 * handshake is accepted) with Plaintext, SSL and TLS. A measurement, not a timing assertion.
 */
class HandshakeTimingTest {
    private static final int WARMUP = 10;
    private static final int RUNS = 40;

    @TempDir
    Path dir;

    @Test
    void printsTheTimeToConnectWithEachTransport() {
        double plain = measure(PlaintextTransport::new);
        double ssl = measure(SslTransport::new);
        int[] n = {0};
        double tls = measure(() -> TlsTransport.builder()
                .keyFile(dir.resolve("n" + n[0]++ + ".key"))
                .build());
        System.out.printf(
                "[measure] connect until handshake accepted, loopback, mean of %d: Plaintext %.2f ms, "
                        + "SSL %.2f ms, TLS (1.3, mutual, Ed25519) %.2f ms%n",
                RUNS, plain, ssl, tls);
    }

    private static double measure(Supplier<Transport> transports) {
        try (TlsNodes nodes = TlsNodes.loopback()) {
            MeshSocket a = nodes.mesh(transports.get());
            MeshSocket b = nodes.mesh(transports.get());
            long total = 0;
            for (int i = 0; i < WARMUP + RUNS; i++) {
                long start = System.nanoTime();
                TlsNodes.dial(a, b).join();
                long took = System.nanoTime() - start;
                if (i >= WARMUP) {
                    total += took;
                }
                a.disconnect(b.id());
                await().atMost(Duration.ofSeconds(10))
                        .until(() ->
                                a.routingTable().isEmpty() && b.routingTable().isEmpty());
            }
            return total / 1e6 / RUNS;
        }
    }
}
