package dev.jv2p.sync.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.internal.NodeIds;
import dev.jv2p.sync.LeaseConflictException;
import dev.jv2p.sync.SyncException;
import dev.jv2p.sync.SyncSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plaintext node's id kept in its data directory: the same id, and so the same leases, on any port. */
class DurableIdentityTest {
    private static final Duration T = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aNodeRestartedOnAnotherPortKeepsItsIdAndItsLeases() throws IOException {
        SyncNodes.ManualClock clock = new SyncNodes.ManualClock(1_800_000_000L);
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket peer = nodes.start(s -> s, m -> m.clock(clock));
            SyncSocket node = nodes.start(s -> s.dataDirectory(dir), m -> m.clock(clock));
            SyncNodes.join(node, peer);
            node.set("mine", "node's");
            await().atMost(T).until(() -> "node's".equals(peer.get("mine")));
            String id = node.id();
            int port = node.mesh().localAddress().getPort();
            assertEquals(id, Files.readString(dir.resolve("node-id")).strip(), "kept at the first start");
            node.close();

            clock.advanceSeconds(1);
            assertThrows(LeaseConflictException.class, () -> peer.set("mine", "peer's"), "the peer saw the old id");

            SyncSocket back = nodes.start(s -> s.dataDirectory(dir), m -> m.clock(clock));
            assertNotEquals(port, back.mesh().localAddress().getPort());
            assertEquals(id, back.id(), "the kept id, not one computed from the new port");
            SyncNodes.join(back, peer);
            back.set("mine", "still node's"); // the lease the peer holds for this id is its own
            await().atMost(T).until(() -> "still node's".equals(peer.get("mine")));
            clock.advanceSeconds(1);
            assertThrows(LeaseConflictException.class, () -> peer.set("mine", "peer's"));
        }
    }

    @Test
    void anIdFileThatHoldsNoIdStopsTheNodeNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("node-id"), "not an id: 0OIl\n");
        try (SyncNodes nodes = new SyncNodes()) {
            SyncException e = assertThrows(SyncException.class, () -> nodes.start(s -> s.dataDirectory(dir), m -> m));
            assertTrue(
                    e.getMessage().startsWith(dir.resolve("node-id") + " does not hold a node id (MeshConfig.nodeId"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("delete it to start with a new id"), e.getMessage());

            Files.delete(dir.resolve("node-id"));
            SyncSocket node = nodes.start(s -> s.dataDirectory(dir), m -> m); // the directory was released
            assertEquals(node.id(), Files.readString(dir.resolve("node-id")).strip());
        }
    }

    @Test
    void aDirectoryWithAnEarlierSaltKeepsTheIdItHadAtTheSameAddress() throws IOException {
        Files.writeString(dir.resolve("node-id.salt"), "pepper\n");
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket node = nodes.start(s -> s.dataDirectory(dir), m -> m);
            String computed = NodeIds.compute(
                    node.mesh().advertisedAddress().getHostString(),
                    node.mesh().advertisedAddress().getPort(),
                    node.mesh().protocolId(),
                    "pepper");
            assertEquals(computed, node.id());
            assertEquals(computed, Files.readString(dir.resolve("node-id")).strip());
        }
    }

    @Test
    void withoutADataDirectoryOrWithItsOwnSaltANodeKeepsNoId() throws IOException {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket first = nodes.start();
            SyncSocket second = nodes.start();
            assertNotEquals(first.id(), second.id(), "a random salt per start, as before");
            assertNull(first.mesh().config().nodeId());

            SyncSocket salted = nodes.start(s -> s.dataDirectory(dir), m -> m.salt("own"));
            assertEquals(
                    NodeIds.compute(
                            salted.mesh().advertisedAddress().getHostString(),
                            salted.mesh().advertisedAddress().getPort(),
                            salted.mesh().protocolId(),
                            "own"),
                    salted.id());
            assertFalse(Files.exists(dir.resolve("node-id")), "the configured salt wins and nothing is kept");
        }
    }
}
