package dev.jv2p.it.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.testkit.TestMesh;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sync sub-flags that make a node work for their sender (digests, summaries, wants,
 * history batches, the sync hello) and the mesh's jv2p hello are taken as whispers only.
 * Broadcast, one digest of empty buckets made every node ship its whole store to whichever
 * neighbour relayed it, a history batch was imported everywhere, and a relayed hello marked the
 * relaying link (perhaps a js2p node) as jv2p. Each case has a whispered control, so the test
 * shows the node does the work when asked properly.
 */
class BroadcastSyncWorkTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final int KEYS = 3000;
    private static final int DIGEST = 0x3A;
    private static final int HISTORY = 0x39;
    private static final int BUCKET_DIGEST = 0x3E;
    private static final int SUMMARIES = 0x3F;

    private final TestMesh mesh = TestMesh.loopback();
    private SyncSocket node;
    private SyncSocket honest;

    @BeforeEach
    void nodeWithAStoreAndAnHonestPeer() {
        node = start("node");
        honest = start("honest");
        Map<String, Object> entries = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            entries.put("key-" + i, i);
        }
        node.update(entries);
        mesh.joinAndAwait(honest.mesh(), node.mesh());
        await().atMost(T).until(() -> honest.size() == KEYS);
    }

    @AfterEach
    void close() {
        mesh.close();
    }

    @Test
    void broadcastDigestsAreNeitherRelayedNorAnswered() throws Exception {
        try (RawPeer adversary = connect("adversary")) {
            long relayed = node.mesh().stats().relayed();
            long now = node.mesh().now();
            adversary.send(List.of(
                    (long) Flags.BROADCAST,
                    adversary.id(),
                    now,
                    (long) DIGEST,
                    Collections.nCopies(256, 0L),
                    List.of()));
            adversary.send(List.of(
                    (long) Flags.BROADCAST,
                    adversary.id(),
                    now - 1,
                    (long) BUCKET_DIGEST,
                    Collections.nCopies(256, new byte[16]),
                    List.of()));
            adversary.send(List.of(
                    (long) Flags.BROADCAST,
                    adversary.id(),
                    now - 2,
                    (long) SUMMARIES,
                    List.of(List.of(0L, List.of()))));
            assertTrue(adversary.roundTrip(node.id(), T));

            assertEquals(0, adversary.received(HISTORY), "the node answered a broadcast digest with its store");
            assertEquals(relayed, node.mesh().stats().relayed(), "the node relayed a digest");

            // The control: whispered, the same digest gets the store.
            adversary.send(List.of(
                    (long) Flags.WHISPER, adversary.id(), now, (long) DIGEST, Collections.nCopies(256, 0L), List.of()));
            assertTrue(adversary.roundTrip(node.id(), T));
            assertTrue(adversary.received(HISTORY) > 0, "a whispered digest was not answered");
        }
    }

    @Test
    void aBroadcastHistoryBatchIsNeitherRelayedNorImported() throws Exception {
        try (RawPeer adversary = connect("adversary")) {
            long relayed = node.mesh().stats().relayed();
            long now = node.mesh().now();
            adversary.send(List.of(
                    (long) Flags.BROADCAST, adversary.id(), now, (long) HISTORY, List.of(history("planted", now))));
            assertTrue(adversary.roundTrip(node.id(), T));
            assertNull(node.get("planted"), "a broadcast history batch was imported");
            assertEquals(relayed, node.mesh().stats().relayed(), "the node relayed a history batch");

            adversary.send(List.of(
                    (long) Flags.WHISPER, adversary.id(), now, (long) HISTORY, List.of(history("whispered", now))));
            assertTrue(adversary.roundTrip(node.id(), T));
            assertEquals("by the adversary", node.get("whispered"));
        }
    }

    @Test
    void aRelayedHelloDoesNotMarkTheRelayingLinkAsJv2p() throws Exception {
        try (RawPeer silent = RawPeer.connect(
                new java.net.Socket("127.0.0.1", node.mesh().localAddress().getPort()),
                node.mesh().protocolId(),
                "js2p-like",
                node.mesh().maxFrameLength(),
                false)) {
            silent.send(List.of(
                    (long) Flags.BROADCAST, "someone-else", node.mesh().now(), (long) Flags.JV2P_HELLO, "jv2p", "0.1"));
            assertTrue(silent.roundTrip(node.id(), T));
            assertFalse(node.mesh().routingTable().get("js2p-like").jv2p(), "a relayed hello marked the link jv2p");

            silent.send(List.of(
                    (long) Flags.WHISPER, "js2p-like", node.mesh().now(), (long) Flags.JV2P_HELLO, "jv2p", "0.1"));
            assertTrue(silent.roundTrip(node.id(), T));
            assertTrue(node.mesh().routingTable().get("js2p-like").jv2p(), "a whispered hello was not taken");
        }
    }

    /** One key's history: no base, one set by the adversary. */
    private static List<Object> history(String key, long now) {
        List<Object> write = new ArrayList<>(List.of(0L, "by the adversary", "adversary", now, 0L));
        List<Object> h = new ArrayList<>();
        h.add(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        h.add(0L);
        h.add(null);
        h.add(List.of(write));
        return h;
    }

    private RawPeer connect(String id) throws java.io.IOException {
        RawPeer peer = RawPeer.connect(
                node.mesh().localAddress().getPort(),
                node.mesh().protocolId(),
                id,
                node.mesh().maxFrameLength());
        assertTrue(peer.roundTrip(node.id(), T));
        return peer;
    }

    private SyncSocket start(String name) {
        MeshConfig m = mesh.config(name)
                .protocol(Protocol.defaultMesh())
                .dialPeerLists(false)
                .build();
        return mesh.track(SyncSocket.start(SyncConfig.builder()
                .mesh(m)
                .antiEntropyInterval(Duration.ofHours(1))
                .build()));
    }
}
