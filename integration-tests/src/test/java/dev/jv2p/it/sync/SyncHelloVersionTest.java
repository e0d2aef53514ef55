package dev.jv2p.it.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Wire versions between jv2p nodes: a peer says the mesh's jv2p hello and then the sync hello,
 * which names the forms it reads. A peer of an older jv2p sends no sync hello and is sent the
 * older XOR digest ({@code 0x3A}) instead of the bucket digest ({@code 0x3E}), never treated as
 * an error; a peer announcing {@code bucket-digest} is sent the bucket digest.
 */
class SyncHelloVersionTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final int LEGACY_DIGEST = 0x3A;
    private static final int SYNC_HELLO = 0x3D;
    private static final int BUCKET_DIGEST = 0x3E;

    private SyncSocket node;

    @BeforeEach
    void start() {
        node = QuietNode.start();
        node.set("k", "v");
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void aJv2pPeerWithoutASyncHelloGetsTheOlderDigest() throws Exception {
        try (RawPeer older = connect("older")) {
            await().atMost(T).until(() -> older.roundTrip(node.id(), T) && older.received(LEGACY_DIGEST) > 0);
            assertEquals(1, older.received(SYNC_HELLO), "the node did not say its sync hello");
            assertEquals(0, older.received(BUCKET_DIGEST));
            assertEquals(List.of(), node.status().differingPeers());
        }
    }

    @Test
    void aPeerAnnouncingTheBucketDigestGetsIt() throws Exception {
        try (RawPeer newer = connect("newer")) {
            newer.send(List.of(
                    (long) Flags.WHISPER,
                    newer.id(),
                    node.mesh().now(),
                    (long) SYNC_HELLO,
                    1L,
                    List.of("bucket-digest", "a-capability-from-the-future"),
                    "lease/3600",
                    ""));
            // The dialing side starts the first exchange: a digest of a store that holds every
            // bucket the node lacks, so the node answers with a bucket digest of its own.
            List<Object> buckets = new ArrayList<>();
            for (int b = 0; b < 256; b++) {
                byte[] hash = new byte[16];
                Arrays.fill(hash, (byte) (b + 1));
                buckets.add(hash);
            }
            newer.send(List.of(
                    (long) Flags.WHISPER, newer.id(), node.mesh().now(), (long) BUCKET_DIGEST, buckets, List.of()));
            await().atMost(T).until(() -> newer.roundTrip(node.id(), T) && newer.received(BUCKET_DIGEST) > 0);
            assertEquals(0, newer.received(LEGACY_DIGEST));
            assertEquals(List.of(), node.status().differingPeers());
        }
    }

    private RawPeer connect(String id) throws java.io.IOException {
        return RawPeer.connect(
                node.mesh().localAddress().getPort(),
                node.mesh().protocolId(),
                id,
                node.mesh().maxFrameLength());
    }
}
