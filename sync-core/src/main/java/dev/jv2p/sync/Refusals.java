package dev.jv2p.sync;

import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.PeerLink;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Refused sync messages: counted, reported to the link, and logged at most once per peer at WARN. */
final class Refusals {
    /** The replicator's logger: configurations name it to quiet or raise these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);

    private long rejected;
    /** Peers whose first refused message has been logged. */
    private final Set<PeerLink> warnedPeers = new HashSet<>();

    /**
     * Counts a refused message and reports it: the first refusal from a peer is logged at WARN,
     * the rest at DEBUG, so a hostile peer cannot fill the log.
     */
    void reject(Message m, String reason) {
        rejected++;
        m.via().reportError("rejected sync message " + m.subFlag() + ": " + reason);
        if (warnedPeers.add(m.via())) {
            LOG.warn(
                    "rejected sync message {} from {}: {} (further refusals from this peer are logged at DEBUG)",
                    m.subFlag(),
                    m.via(),
                    reason);
        } else {
            LOG.debug("rejected sync message {} from {}: {}", m.subFlag(), m.via(), reason);
        }
    }

    long count() {
        return rejected;
    }

    /** Forgets a closed link. */
    void onPeerClosed(PeerLink peer) {
        warnedPeers.remove(peer);
    }
}
