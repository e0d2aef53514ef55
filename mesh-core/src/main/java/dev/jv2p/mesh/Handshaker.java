package dev.jv2p.mesh;

import dev.jv2p.mesh.MeshMessages.Handshake;
import dev.jv2p.mesh.spi.Flags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handshake (spec §9.2): this node's, and the peer's checked and applied, which puts the
 * connection in the routing table; and jv2p's hello, which marks a peer as a jv2p node. Runs
 * on the node's event loop.
 */
final class Handshaker {
    private static final Logger LOG = LoggerFactory.getLogger(Handshaker.class);
    static final String JV2P_VERSION = "0.1";

    private final Router router;
    /** Links referred elsewhere so far (see {@link Router#referrals}). */
    private int referrals;

    /** How many of the last referred nodes a referral's peers list names. */
    static final int RECENTLY_REFERRED = 8;

    private final java.util.ArrayDeque<MeshMessages.PeerEntry> recentlyReferred = new java.util.ArrayDeque<>();

    Handshaker(Router router) {
        this.router = router;
    }

    void send(Connection c) {
        List<Object> payload = List.of(
                (long) Flags.HANDSHAKE,
                router.ownId,
                router.protocolId,
                List.of(router.advertisedHost, (long) router.advertisedPort),
                compressionIds());
        c.writeBlock(router.encoder.block(Flags.WHISPER, router.now(), payload), false);
    }

    /**
     * The first frames on a new connection, dialed or accepted: the handshake, and right behind
     * it in the same flush this node's jv2p hello. A peer thus knows a jv2p node from a js2p one
     * as soon as the handshake has arrived, rather than a round trip later, and a js2p peer
     * (which ignores the hello, as it did when it came after the second handshake) is sent its
     * state without a wait for a hello that will not come.
     */
    void sendFirst(Connection c) {
        send(c);
        if (!router.referrals.contains(c)) { // a referral says no hello: the dialer tells it by that (Membership)
            c.sendNow(Flags.WHISPER, hello());
        }
    }

    private List<Object> compressionIds() {
        List<Object> out = new ArrayList<>();
        for (Integer id : router.config.announcedCompression()) {
            out.add((long) id);
        }
        return out;
    }

    void onHandshake(Connection c, Handshake h) {
        if (!h.protocolId().equals(router.protocolId)) {
            c.close(
                    "protocol mismatch: peer speaks " + h.protocolId() + ", this node " + router.protocolId + " ("
                            + router.config.protocol() + ")",
                    false);
            return;
        }
        if (h.id().equals(router.ownId)) {
            c.close("connected to itself", false);
            return;
        }
        if (router.authenticatesPeers) {
            String proven = router.transport.authenticatedPeerId(c.channel());
            if (!h.id().equals(proven)) {
                c.close(
                        "announced node id " + Router.abbreviate(h.id()) + " but its key proves "
                                + (proven == null ? "no id" : proven),
                        true);
                return;
            }
        }
        c.announcedAddress(h.host(), h.port());
        c.applyCompression(h.compression(), router.supported, router.sendPreference);
        if (c.isHandshaken()) {
            c.refreshInfo();
            router.refreshSnapshot();
            return;
        }
        c.claimId(h.id());
        Connection existing = router.table.get(h.id());
        if (existing != null && existing != c) {
            Connection dropped = router.duplicates.prefer(c, existing) ? existing : c;
            dropped.close("duplicate connection; keeping the one dialed by the smaller id", false);
            if (dropped == c) {
                return;
            }
        }
        c.markHandshaken();
        boolean referral = router.referrals.contains(c);
        if (c.awaitsPeer()) {
            send(c);
            List<Object> peers = router.discovery.peersList(c);
            if (referral) {
                referred(c, peers);
                // Each referred node starts further along the list, so that nodes referred at
                // once spread over the peers rather than all dial the first ones.
                Collections.rotate(peers, -(referrals++ % Math.max(1, peers.size())));
            }
            c.sendNow(Flags.WHISPER, List.of((long) Flags.PEERS, peers));
        }
        if (referral) {
            c.close(
                    "at the peer limit (maxPeers " + router.config.maxPeers() + "); sent it the peers list instead",
                    false);
            return;
        }
        router.join(c); // this node's hello went out behind its first handshake (sendFirst)
    }

    /**
     * Adds the nodes referred just before {@code c} to its peers list, and remembers {@code c}.
     * The peers of a node at its limit are often at theirs too; nodes referred a moment ago are
     * looking for peers and have room. Without them, when every address a joiner learns is
     * full, joiners never learn of each other and stay alone.
     */
    private void referred(Connection c, List<Object> peers) {
        for (MeshMessages.PeerEntry e : recentlyReferred) {
            if (!e.id().equals(c.id()) && !router.table.containsKey(e.id())) {
                peers.add(List.of(List.of(e.host(), (long) e.port()), e.id()));
            }
        }
        if (c.advertisedHost() != null) {
            recentlyReferred.removeIf(e -> e.id().equals(c.id()));
            if (recentlyReferred.size() >= RECENTLY_REFERRED) {
                recentlyReferred.removeFirst();
            }
            recentlyReferred.addLast(new MeshMessages.PeerEntry(c.advertisedHost(), c.advertisedPort(), c.id()));
        }
    }

    /** {@code [0x30, "jv2p", version, [capabilities]]}; jv2p before the capabilities reads the first three. */
    List<Object> hello() {
        return List.of((long) Flags.JV2P_HELLO, "jv2p", JV2P_VERSION, router.tree.capabilities());
    }

    void onHello(Connection c, MeshMessages.Hello hello) {
        if (!hello.jv2p() || !c.isHandshaken() || !c.isOpen()) {
            return; // a hello counts only after the peer's handshake, which comes first on the wire
        }
        if (c.markJv2p()) {
            router.refreshSnapshot();
            for (PeerEvents e : router.peerEvents) {
                Router.safely(() -> e.onJv2pPeer(c));
            }
        }
        router.tree.onHello(c, hello.capabilities());
    }
}
