package dev.jv2p.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jv2p.mesh.MeshStats;
import dev.jv2p.mesh.MeshStatus;
import dev.jv2p.mesh.PeerStatus;
import dev.jv2p.sync.SyncStatus;
import java.net.InetSocketAddress;

/** The {@code status} command's answer: a {@link SyncStatus} as one JSON object or one line of text. */
final class StatusView {
    private StatusView() {}

    /** Fills {@code o} with every figure of the snapshot. */
    static void json(SyncStatus s, ObjectNode o) {
        MeshStatus m = s.mesh();
        MeshStats t = m.totals();
        o.put("id", m.nodeId());
        o.put("protocolId", m.protocolId());
        o.put("subnet", m.protocol().subnet());
        o.put("codec", m.codec());
        o.put("transport", m.transport());
        o.put("address", address(m.listeningAddress()));
        o.put("advertised", address(m.advertisedAddress()));
        o.put("entries", s.entries());
        o.put("estimatedBytes", s.estimatedBytes());
        o.put("tombstones", s.tombstones());
        o.put("writesApplied", s.writesApplied());
        o.put("leaseRefusals", s.leaseRefusals());
        o.put("localLeaseConflicts", s.localLeaseConflicts());
        o.put("queuedWritesRefused", s.queuedWritesRefused());
        o.put("listenerEventsCoalesced", s.listenerEventsCoalesced());
        o.put("listenerEventsPending", s.listenerEventsPending());
        o.put("antiEntropyRounds", s.antiEntropyRounds());
        o.put("rejectedMessages", s.rejectedMessages());
        ArrayNode differing = o.putArray("differingPeers");
        s.differingPeers().forEach(differing::add);
        o.put("messagesIn", t.framesIn());
        o.put("messagesOut", t.framesOut());
        o.put("bytesIn", t.bytesIn());
        o.put("bytesOut", t.bytesOut());
        o.put("relayed", t.relayed());
        o.put("duplicatesDropped", t.duplicatesDropped());
        o.put("expiredDropped", t.expiredDropped());
        o.put("userMessagesDropped", t.userMessagesDropped());
        o.put("seenCacheSize", m.seenCacheSize());
        o.put("pendingConnections", m.pendingConnections());
        ArrayNode peers = o.putArray("peers");
        m.peers().forEach(p -> peer(p, peers.addObject()));
        ArrayNode closed = o.putArray("recentlyClosed");
        m.recentlyClosed().forEach(p -> peer(p, closed.addObject()));
    }

    private static void peer(PeerStatus p, ObjectNode o) {
        o.put("id", p.id());
        o.put("address", address(p.advertisedAddress()));
        o.put("remote", address(p.remoteAddress()));
        o.put("direction", p.direction());
        o.put("jv2p", p.jv2p());
        o.put("codec", p.codec());
        ArrayNode c = o.putArray("compression");
        p.announcedCompression().forEach(c::add);
        o.put("sendCompression", p.sendCompression());
        o.put("messagesIn", p.messagesIn());
        o.put("messagesOut", p.messagesOut());
        o.put("bytesIn", p.bytesIn());
        o.put("bytesOut", p.bytesOut());
        o.put("lastSeen", p.lastSeen().toString());
        o.put("lastError", p.lastError());
    }

    /** One line: who the node is, the dictionary, the traffic, then each peer. */
    static String text(SyncStatus s) {
        MeshStatus m = s.mesh();
        MeshStats t = m.totals();
        StringBuilder b = new StringBuilder()
                .append("id ")
                .append(m.nodeId())
                .append(" | protocol ")
                .append(m.protocolId())
                .append(" (")
                .append(m.protocol().subnet())
                .append(", ")
                .append(m.transport())
                .append(", ")
                .append(m.codec())
                .append(')')
                .append(" | listening ")
                .append(address(m.listeningAddress()))
                .append(", advertised ")
                .append(address(m.advertisedAddress()))
                .append(" | entries ")
                .append(s.entries())
                .append(" (~")
                .append(s.estimatedBytes())
                .append(" bytes)")
                .append(", tombstones ")
                .append(s.tombstones())
                .append(" | messages in ")
                .append(t.framesIn())
                .append(", out ")
                .append(t.framesOut())
                .append(" | bytes in ")
                .append(t.bytesIn())
                .append(", out ")
                .append(t.bytesOut())
                .append(" | relayed ")
                .append(t.relayed())
                .append(", duplicates dropped ")
                .append(t.duplicatesDropped())
                .append(", expired ")
                .append(t.expiredDropped())
                .append(" | lease refusals ")
                .append(s.leaseRefusals())
                .append(" (local ")
                .append(s.localLeaseConflicts())
                .append(", refused on the loop ")
                .append(s.queuedWritesRefused())
                .append(')')
                .append(" | anti-entropy rounds ")
                .append(s.antiEntropyRounds())
                .append(
                        s.differingPeers().isEmpty()
                                ? ""
                                : " (left out, rules differ: " + String.join("; ", s.differingPeers()) + ")")
                .append(" | peers ")
                .append(m.peers().size());
        for (PeerStatus p : m.peers()) {
            b.append(" | peer ")
                    .append(p.id())
                    .append(' ')
                    .append(p.direction())
                    .append(' ')
                    .append(address(p.advertisedAddress()))
                    .append(p.jv2p() ? " jv2p" : " js2p?")
                    .append(" in ")
                    .append(p.messagesIn())
                    .append('/')
                    .append(p.bytesIn())
                    .append(" B")
                    .append(" out ")
                    .append(p.messagesOut())
                    .append('/')
                    .append(p.bytesOut())
                    .append(" B")
                    .append(" last seen ")
                    .append(p.lastSeen());
            if (p.lastError() != null) {
                b.append(" last error: ").append(p.lastError());
            }
        }
        return b.toString();
    }

    private static String address(InetSocketAddress a) {
        return a == null ? null : a.getHostString() + ":" + a.getPort();
    }
}
