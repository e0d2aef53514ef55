package dev.jv2p.sync;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.PeerLink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync hellos: the one this node says (its capabilities, merge rule and allow-list) and
 * what each jv2p peer said in its own, which decides the digest the peer reads, whether base
 * chains travel to it, and whether it takes part in anti-entropy. On the node's event loop.
 */
final class SyncHellos {
    /** The replicator's logger: configurations name it to quiet or raise these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

    /** What a jv2p peer said in its sync hello. */
    record PeerSync(boolean bucketDigest, boolean baseChains, boolean sameRules, String why) {}

    /** This node's merge rule and allow-list, as its sync hello names them. */
    private final String mergeRule;

    private final String allowList;
    /** The sync hellos of the open links; a jv2p peer missing here has not sent one (an older jv2p). */
    private final Map<PeerLink, PeerSync> peerSync = new HashMap<>();

    private long differingPeersSeen;

    SyncHellos(LayerContext mesh, SyncConfig config) {
        this.mergeRule =
                SyncMessages.mergeRule(config.leasing(), config.leaseDuration().toSeconds());
        this.allowList = mesh.identity()
                .map(identity -> allowListFingerprint(identity.allowed(), identity.nodeId()))
                .orElse("");
    }

    List<Object> ownHello() {
        return List.of(
                (long) SyncMessages.SYNC_HELLO,
                SyncMessages.HELLO_VERSION,
                List.of(DigestExchange.CAPABILITY, BaseChains.CAPABILITY),
                mergeRule,
                allowList);
    }

    /**
     * Records {@code peer}'s sync hello.
     *
     * @return whether this is the peer's first hello and its rules agree with this node's, so
     *     that the two should compare digests now
     */
    boolean onSyncHello(PeerLink peer, SyncMessages.Hello hello) {
        String why = !hello.mergeRule().equals(mergeRule)
                ? "its merge rule is " + hello.mergeRule() + ", this node's " + mergeRule
                : !hello.allowList().equals(allowList) ? "its allow-list differs from this node's" : null;
        PeerSync before = peerSync.put(
                peer,
                new PeerSync(
                        hello.capabilities().contains(DigestExchange.CAPABILITY),
                        hello.capabilities().contains(BaseChains.CAPABILITY),
                        why == null,
                        why));
        if (before != null) {
            return false;
        }
        if (why != null) {
            differingPeersSeen++;
            LOG.warn("{} is left out of anti-entropy: {}; its live writes are judged by this node's rules", peer, why);
            return false;
        }
        return true;
    }

    /** What {@code peer} said in its sync hello; {@code null} if it has sent none. */
    PeerSync of(PeerLink peer) {
        return peerSync.get(peer);
    }

    /** Whether {@code peer}'s state is compared with this node's: not if its rules differ. */
    boolean takesPartInAntiEntropy(PeerLink peer) {
        PeerSync p = peerSync.get(peer);
        return p == null || p.sameRules();
    }

    /** The open links to peers whose merge rule or allow-list differ from this node's. */
    List<String> differingPeers() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<PeerLink, PeerSync> e : peerSync.entrySet()) {
            if (!e.getValue().sameRules()) {
                out.add(e.getKey().id() + ": " + e.getValue().why());
            }
        }
        return out;
    }

    void onPeerClosed(PeerLink peer) {
        peerSync.remove(peer);
    }

    /**
     * The fingerprint of the owners a node admits: empty when it admits any, otherwise a hash of
     * its allow-list with its own id (which it always admits), so that nodes that list each
     * other, as a mesh with one allow-list does, agree.
     */
    private static String allowListFingerprint(Set<String> allowed, String ownId) {
        if (allowed.isEmpty()) {
            return "";
        }
        java.util.TreeSet<String> admitted = new java.util.TreeSet<>(allowed);
        admitted.add(ownId);
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String id : admitted) {
                sha.update(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return java.util.HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
