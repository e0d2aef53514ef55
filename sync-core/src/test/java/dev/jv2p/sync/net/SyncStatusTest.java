package dev.jv2p.sync.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshStatus;
import dev.jv2p.mesh.PeerStatus;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.testkit.TestMesh;
import dev.jv2p.sync.LeaseConflictException;
import dev.jv2p.sync.SyncSocket;
import dev.jv2p.sync.SyncStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SyncSocket#status()} and the {@link MeshStatus} inside it, on two loopback nodes. */
class SyncStatusTest {
    private static final Duration T = Duration.ofSeconds(5);

    /** A second node that dialed {@code a}. */
    private static SyncSocket joined(SyncNodes nodes, SyncSocket a) {
        SyncSocket b = nodes.start();
        SyncNodes.join(b, a);
        return b;
    }

    @Test
    void theStatusNamesTheNodeAndItsAddresses() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            MeshStatus s = a.status().mesh();
            assertEquals(a.id(), s.nodeId());
            assertEquals(a.mesh().protocolId(), s.protocolId());
            assertEquals("msgpack", s.codec());
            assertEquals("Plaintext", s.transport());
            assertEquals("sync1", s.protocol().subnet());
            assertEquals(a.mesh().localAddress(), s.listeningAddress());
            assertEquals(
                    a.mesh().localAddress().getPort(), s.advertisedAddress().getPort());
            assertEquals(List.of(), s.peers());
        }
    }

    @Test
    void eachPeerIsListedWithItsDirectionAndTheTrafficBetweenThem() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            SyncSocket b = joined(nodes, a);
            a.set("greeting", "hello");
            await().atMost(T).until(() -> "hello".equals(b.get("greeting")));

            PeerStatus atA = a.status().mesh().peers().get(0);
            assertEquals(b.id(), atA.id());
            assertEquals("in", atA.direction());
            assertEquals("msgpack", atA.codec());
            PeerStatus atB = b.status().mesh().peers().get(0);
            assertEquals(a.id(), atB.id());
            assertEquals("out", atB.direction());
            assertEquals(
                    a.mesh().localAddress().getPort(), atB.advertisedAddress().getPort());
            assertTrue(atB.messagesIn() > 0 && atB.bytesIn() > atB.messagesIn() * 4, atB.toString());
            assertTrue(atA.messagesOut() > 0 && atA.bytesOut() > 0, atA.toString());
            assertNotNull(atB.lastSeen());
            assertNull(atB.lastError());
        }
    }

    @Test
    void aPeersCountersAreTheNodesCountersWhenItIsTheOnlyPeer() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            SyncSocket b = joined(nodes, a);
            a.set("k", "v");
            await().atMost(T).until(() -> "v".equals(b.get("k")));

            MeshStatus s = b.status().mesh();
            PeerStatus only = s.peers().get(0);
            assertEquals(s.totals().framesIn(), only.messagesIn());
            assertEquals(s.totals().bytesIn(), only.bytesIn());
            assertEquals(s.totals().framesOut(), only.messagesOut());
            assertEquals(s.totals().bytesOut(), only.bytesOut());
        }
    }

    @Test
    void theDictionaryFiguresFollowWritesAndDeletes() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            SyncSocket b = joined(nodes, a);
            a.set("k", "some value");
            await().atMost(T).until(() -> b.status().entries() == 1);
            SyncStatus atB = b.status();
            assertTrue(atB.estimatedBytes() >= "k".length() + "some value".length(), atB.toString());
            assertTrue(atB.writesApplied() >= 1, atB.toString());

            a.del("k");
            await().atMost(T).until(() -> b.status().tombstones() == 1);
            assertEquals(0, b.status().entries());
            assertEquals(0, b.status().estimatedBytes());
        }
    }

    @Test
    void aLocalWriteToALeasedKeyIsCounted() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            SyncSocket b = joined(nodes, a);
            // A same-second tie goes to the smaller id: let that node hold the lease.
            SyncSocket holder = a.id().compareTo(b.id()) < 0 ? a : b;
            SyncSocket other = holder == a ? b : a;
            holder.set("k", "mine");
            await().atMost(T).until(() -> other.get("k") != null);

            assertThrows(LeaseConflictException.class, () -> other.set("k", "theirs"));
            assertEquals(1, other.status().localLeaseConflicts());
            assertEquals(0, holder.status().localLeaseConflicts());
        }
    }

    @Test
    void aPeersWriteToAKeyLeasedHereIsCountedAsRefusedWhenThePartitionHeals() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            SyncSocket b = nodes.start();
            // Not yet connected: both write k. The smaller id wins a same-second tie, and the
            // earlier write holds the lease, so the holder writes first and has the smaller id.
            SyncSocket holder = a.id().compareTo(b.id()) < 0 ? a : b;
            SyncSocket other = holder == a ? b : a;
            holder.set("k", "mine");
            other.set("k", "theirs");
            assertEquals(0, holder.status().leaseRefusals());

            SyncNodes.join(other, holder);
            await().atMost(T).until(() -> "mine".equals(other.get("k")));
            await().atMost(T).until(() -> holder.status().leaseRefusals() == 1);
            assertEquals("mine", holder.get("k"));
        }
    }

    @Test
    void aRejectedMessageBecomesThePeersLastError() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            SyncSocket b = joined(nodes, a);
            b.mesh().send(List.of("a key without a value"), Flags.BROADCAST, Flags.STORE);

            await().atMost(T).until(() -> a.status().rejectedMessages() == 1);
            PeerStatus peer = a.status().mesh().peers().get(0);
            assertEquals(b.id(), peer.id());
            assertTrue(peer.lastError().contains("a live store must be [11, key, value(, seq)]"), peer.lastError());
            assertNull(b.status().mesh().peers().get(0).lastError(), "b saw no fault of a");
        }
    }

    @Test
    void antiEntropyRoundsAreCounted() {
        try (TestMesh mesh = TestMesh.virtual()) {
            SyncSocket a = SyncNodes.start(mesh, "a", Protocol.DEFAULT_CODEC); // a round every 500 ms
            mesh.time().advanceUntil(() -> a.status().antiEntropyRounds() >= 2, T);
        }
    }

    @Test
    void aPeerThatLeftIsListedWithTheReasonItClosed() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            SyncSocket b = joined(nodes, a);
            await().atMost(T).until(() -> a.status().mesh().peers().size() == 1);

            b.mesh().disconnect(a.id());
            await().atMost(T).until(() -> a.status().mesh().peers().isEmpty());
            List<PeerStatus> closed = a.status().mesh().recentlyClosed();
            assertEquals(b.id(), closed.get(closed.size() - 1).id());
            assertNotNull(closed.get(closed.size() - 1).lastError());
        }
    }

    @Test
    void aClosedNodeStillAnswersWithoutWaiting() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            a.set("k", "v");
            a.close();
            SyncStatus s = assertTimeoutPreemptively(T, a::status);
            assertEquals(1, s.entries());
        }
    }
}
