package dev.jv2p.examples;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.sync.LeaseConflictException;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import dev.jv2p.transport.tls.TlsTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An encrypted, authenticated mesh whose nodes keep their identities across restarts. Each
 * node's id is derived from its Ed25519 key, kept in a PEM file (created on first start); a
 * node restarted from its file has the same id, so it still owns the keys it leased, and
 * {@code allow} admits only the ids you name.
 *
 * <p>Run: {@code mvn -q install -DskipTests && mvn -q -pl examples exec:java -Dexec.mainClass=dev.jv2p.examples.TlsMeshExample}
 * (key files go to a new temporary directory; pass a directory to keep them).
 */
public final class TlsMeshExample {
    private TlsMeshExample() {}

    /** Runs the example with key files in {@code args[0]}, or a new temporary directory. */
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("jv2p-tls-example");
        System.out.println(run(dir));
    }

    private static SyncSocket start(Path keyFile, String... allowed) {
        TlsTransport tls =
                TlsTransport.builder().keyFile(keyFile).allow(allowed).build();
        MeshConfig mesh = MeshConfig.builder()
                .port(0)
                .protocol(new Protocol("mesh", "TLS"))
                .transport(tls)
                .build();
        return SyncSocket.start(
                SyncConfig.builder().mesh(mesh).subnet("secrets").build());
    }

    /** Runs the example with its key files in {@code dir} and returns what happened. */
    public static String run(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path aliceKey = dir.resolve("alice.pem");
        Path bobKey = dir.resolve("bob.pem");
        // Reading a key file (made on first use) gives the node id without starting a node.
        String aliceId = TlsTransport.builder().keyFile(aliceKey).build().nodeId();
        String bobId = TlsTransport.builder().keyFile(bobKey).build().nodeId();
        StringBuilder out = new StringBuilder();
        try (SyncSocket bob = start(bobKey, aliceId)) {
            try (SyncSocket alice = start(aliceKey, bobId)) {
                join(bob, alice);
                alice.set("db.password", "s3cret");
                waitFor(() -> "s3cret".equals(bob.get("db.password")));
                out.append("bob got db.password over TLS from ")
                        .append(alice.id().equals(aliceId) ? "alice" : "?")
                        .append('\n');
                // Within the second of alice's write a tie would go to the smaller id: try later.
                long written = alice.meta("db.password").orElseThrow().timestamp();
                waitFor(() -> bob.mesh().now() > written);
                try {
                    bob.set("db.password", "bob's");
                } catch (LeaseConflictException e) {
                    out.append("bob may not overwrite it: alice holds its lease\n");
                }
            }
            try (SyncSocket alice = start(aliceKey, bobId)) {
                out.append("alice restarted with the same id: ")
                        .append(alice.id().equals(aliceId))
                        .append('\n');
                join(bob, alice);
                waitFor(() -> alice.get("db.password") != null);
                alice.set("db.password", "rotated"); // still hers: the lease belongs to her id
                waitFor(() -> "rotated".equals(bob.get("db.password")));
                out.append("alice still owns db.password; bob now has: ")
                        .append(bob.get("db.password"))
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static void join(SyncSocket from, SyncSocket to) {
        from.mesh().connect("127.0.0.1", to.mesh().localAddress().getPort()).join();
    }

    private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(20);
        }
    }
}
