package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.spi.Flags;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Sends a message to every peer of the routing table: this node's own, stamped once, and
 * broadcasts of others, relayed as received. A broadcast goes whole to every peer but the lazy
 * links of the {@link BroadcastTree}, which get its id instead. Messages of a jv2p-only sub-flag are expanded
 * for peers not known as jv2p (see {@link LayerContext#registerFallback}). Event loop only,
 * except for the registration of fallbacks.
 */
final class Relay {
    private final Router router;
    /** How messages of a jv2p-only sub-flag travel to peers not known as jv2p. */
    final Map<Integer, Function<List<Object>, List<List<Object>>>> fallbacks = new ConcurrentHashMap<>();

    Relay(Router router) {
        this.router = router;
    }

    /** Relays a broadcast, as received, to every peer but the one it came from and its originator. */
    void relay(Connection from, Message m, Frames.Block block) {
        byte[] original = new byte[Frames.CHECKSUM_LENGTH + block.payload().length];
        System.arraycopy(block.checksum(), 0, original, 0, Frames.CHECKSUM_LENGTH);
        System.arraycopy(block.payload(), 0, original, Frames.CHECKSUM_LENGTH, block.payload().length);
        List<Connection> to = new ArrayList<>();
        for (Connection peer : router.table.values()) {
            if (peer != from && !peer.id().equals(m.sender())) {
                to.add(peer);
            }
        }
        send(to, original, fallbacks.get(m.subFlag()), m.mainFlag(), m.sender(), m.time(), m.packets());
    }

    /** Sends one message of this node's, stamped once, to every peer in the routing table. */
    void sendToAll(int mainFlag, long time, List<Object> payload) {
        assert router.loop.inEventLoop();
        byte[] block = router.encoder.block(mainFlag, time, payload);
        if (mainFlag == Flags.BROADCAST) {
            router.seen.add(Arrays.copyOf(block, Frames.CHECKSUM_LENGTH), time, router.now());
        }
        Function<List<Object>, List<List<Object>>> fallback =
                payload.isEmpty() || !(payload.get(0) instanceof Long sub) ? null : fallbacks.get((int) (long) sub);
        send(new ArrayList<>(router.table.values()), block, fallback, mainFlag, router.ownId, time, payload);
    }

    private void send(
            List<Connection> to,
            byte[] block,
            Function<List<Object>, List<List<Object>>> fallback,
            int mainFlag,
            String sender,
            long time,
            List<Object> packets) {
        List<byte[]> fallbackBlocks = null;
        boolean broadcast = mainFlag == Flags.BROADCAST;
        BroadcastId lazyId = null; // computed once, for the first lazy tree link
        boolean relaying = !sender.equals(router.ownId);
        for (Connection peer : to) {
            if (broadcast && router.tree.isLazy(peer)) {
                if (lazyId == null) {
                    lazyId = BroadcastId.of(block, 0);
                }
                router.tree.announce(peer, lazyId);
                continue;
            }
            if (relaying) {
                router.counters.relayed();
            }
            if (broadcast) {
                router.counters.broadcastSent();
            }
            if (fallback != null && !peer.isJv2p() && !router.authenticatesPeers) {
                if (fallbackBlocks == null) {
                    fallbackBlocks = fallbackBlocks(fallback, mainFlag, sender, time, packets);
                }
                for (byte[] b : fallbackBlocks) {
                    peer.writeBlock(b, true);
                }
            } else {
                peer.writeBlock(block, true);
            }
        }
        if (lazyId != null) {
            router.tree.announced(lazyId, block);
        }
    }

    /**
     * The messages that stand for one of a jv2p-only sub-flag towards peers not known as
     * jv2p: each stamped with the original sender and time, so that every node that expands
     * the same message sends the same bytes and the copies meet in the seen-caches. Recorded
     * here as seen, so copies coming back are dropped.
     */
    private List<byte[]> fallbackBlocks(
            Function<List<Object>, List<List<Object>>> fallback,
            int mainFlag,
            String sender,
            long time,
            List<Object> packets) {
        List<byte[]> blocks = new ArrayList<>();
        long now = router.now();
        for (List<Object> each : fallback.apply(packets)) {
            byte[] block = router.encoder.block(mainFlag, sender, time, each);
            if (mainFlag == Flags.BROADCAST) {
                router.seen.add(Arrays.copyOf(block, Frames.CHECKSUM_LENGTH), time, now);
            }
            blocks.add(block);
        }
        return blocks;
    }
}
