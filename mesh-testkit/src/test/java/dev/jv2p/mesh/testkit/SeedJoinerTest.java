package dev.jv2p.mesh.testkit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.internal.SeedJoiner;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --join} with a name that has several addresses, over real sockets: the seeds listen on
 * one port at 127.0.0.1, 127.0.0.2 and 127.0.0.3 (all loopback on Linux), and the name is
 * given to the joiner through its resolver seam instead of a hosts file. Nodes do not dial
 * peers lists, so every link the joiner has is one it dialed from the name.
 */
class SeedJoinerTest {
    private static final String NAME = "seeds.jv2p.test";
    private static final Duration FIRST = Duration.ofMillis(20);
    private static final Duration MAX = Duration.ofMillis(200);

    private final TestMesh mesh = TestMesh.loopback();
    private final ExecutorService lookups = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        lookups.shutdownNow();
        mesh.close();
    }

    @Test
    void aNameWithSeveralAddressesJoinsTheNodeAtEveryOne() throws Exception {
        List<MeshSocket> seeds = seeds(3);
        MeshSocket joiner = mesh.start("joiner", b -> b.dialPeerLists(false));

        join(joiner, seeds, host -> addresses(3));

        awaitPeers(joiner, seeds);
    }

    @Test
    void addressesTheNameGainsLaterAreJoinedWhenItIsResolvedAgain() throws Exception {
        List<MeshSocket> seeds = seeds(3);
        MeshSocket joiner = mesh.start("joiner", b -> b.dialPeerLists(false));
        AtomicReference<List<InetAddress>> records = new AtomicReference<>(addresses(1));

        join(joiner, seeds, host -> records.get());
        awaitPeers(joiner, seeds.subList(0, 1));
        records.set(addresses(3)); // two replicas more behind the name

        awaitPeers(joiner, seeds);
    }

    @Test
    void aNameThatDoesNotResolveYetIsLookedUpAgainWithBackOff() throws Exception {
        List<MeshSocket> seeds = seeds(2);
        MeshSocket joiner = mesh.start("joiner", b -> b.dialPeerLists(false));
        AtomicInteger lookupsDone = new AtomicInteger();

        join(joiner, seeds, host -> {
            if (lookupsDone.incrementAndGet() < 4) {
                throw new UnknownHostException(host + ": not yet");
            }
            return addresses(2);
        });

        awaitPeers(joiner, seeds);
    }

    @Test
    void aNodeJoinsTheSeedItsConfigurationNamesByHostNameOnceTheSeedIsUp() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort(); // the seed's port, known before the seed starts
        }
        MeshSocket joiner = mesh.start("joiner", b -> b.dialPeerLists(false).seed("localhost", port));
        assertEquals(
                List.of(java.net.InetSocketAddress.createUnresolved("localhost", port)),
                joiner.config().seeds());

        MeshSocket seed = mesh.start("seed", b -> b.port(port).dialPeerLists(false));

        awaitPeers(joiner, List.of(seed));
    }

    @Test
    void aSeedWithoutAPortIsRefusedWhenTheConfigurationIsBuilt() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> dev.jv2p.mesh.MeshConfig.builder()
                        .seed("seeds.example", 0)
                        .build());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("MeshConfig.seeds "), e.getMessage());
    }

    /** Seeds listening on one port, at 127.0.0.1 .. 127.0.0.n. */
    private List<MeshSocket> seeds(int n) {
        MeshSocket first = mesh.start("seed-1", b -> b.dialPeerLists(false));
        int port = first.localAddress().getPort();
        List<MeshSocket> seeds = new java.util.ArrayList<>(List.of(first));
        for (int i = 2; i <= n; i++) {
            String host = "127.0.0." + i;
            seeds.add(mesh.start("seed-" + i, b -> b.bindHost(host).port(port).dialPeerLists(false)));
        }
        return seeds;
    }

    private void join(MeshSocket node, List<MeshSocket> seeds, SeedJoiner.Resolver resolver) {
        int port = seeds.get(0).localAddress().getPort();
        new SeedJoiner(node, NAME, port, FIRST, MAX, resolver, lookups, message -> {}).start();
    }

    private static List<InetAddress> addresses(int n) throws UnknownHostException {
        List<InetAddress> all = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            all.add(InetAddress.getByAddress(NAME, new byte[] {127, 0, 0, (byte) i}));
        }
        return all;
    }

    private static void awaitPeers(MeshSocket node, List<MeshSocket> expected) {
        Set<String> ids = expected.stream().map(MeshSocket::id).collect(Collectors.toSet());
        await("routing table of " + node.id() + " to be " + ids)
                .atMost(Duration.ofSeconds(10))
                .until(() -> node.routingTable().keySet(), ids::equals);
    }
}
