package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Flags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The mesh's own messages as typed records, parsed once from a message's packet list at the
 * edge ({@link #parse}), before any handler runs: arity and types are checked here, and the
 * router only ever acts on a well-formed record. Each record names the wire form it stands
 * for (spec §9, §11).
 */
final class MeshMessages {
    private MeshMessages() {}

    /** One parsed mesh message. */
    sealed interface MeshMessage
            permits Handshake,
                    Peers,
                    StateRequest,
                    Lookup,
                    Response,
                    CompressionChange,
                    Resend,
                    Hello,
                    Ping,
                    Pong,
                    TreeIHave,
                    TreeGraft,
                    TreePrune {}

    /** The most ids one announcement or graft may carry. */
    static final int MAX_TREE_IDS = 256;

    /** The most capabilities read from a hello, and the longest name; the rest is ignored. */
    private static final int MAX_CAPABILITIES = 16;

    private static final int MAX_CAPABILITY_LENGTH = 64;

    /**
     * {@code [5, id, protocol id, [host, port], [compression ids]]}; {@code host} null (and
     * {@code port} 0) for {@code [nil, nil]}, a node that cannot listen and is never dialed or
     * listed. {@code compression}: the announced ids in order, each once, those out of range
     * left out.
     */
    record Handshake(String id, String protocolId, String host, int port, List<Integer> compression)
            implements MeshMessage {}

    /** {@code [7, [[[host, port], id], ...]]}: the entries that are addresses, the others left out. */
    record Peers(List<PeerEntry> entries) implements MeshMessage {}

    /** One dialable entry of a peers list or response. */
    record PeerEntry(String host, int port, String id) {}

    /** {@code [8, '*']}: the sender asks for this node's peers and state. */
    record StateRequest() implements MeshMessage {}

    /** {@code [8, request id, wanted id]}: someone looks for the address of {@code target}. */
    record Lookup(String requestId, String target) implements MeshMessage {}

    /** {@code [10, request id, [[host, port], id]]}; {@code answer} null when it is no address. */
    record Response(String requestId, PeerEntry answer) implements MeshMessage {}

    /** Main flag renegotiate, {@code [1, [compression ids]]}: the sender's new compression list. */
    record CompressionChange(List<Integer> compression) implements MeshMessage {}

    /** Main flag renegotiate, {@code [9, ...]}: a resend request, which jv2p never needs to act on. */
    record Resend() implements MeshMessage {}

    /**
     * {@code [0x30, name, version, [capabilities]]}: jv2p's hello; {@code jv2p} whether the name
     * is jv2p's; {@code capabilities} the names of the mesh features the sender's node has on
     * (none from a jv2p that sends no list).
     */
    record Hello(boolean jv2p, Set<String> capabilities) implements MeshMessage {}

    /** {@code [0x33, ids]}: broadcast tree, the sender holds these broadcasts. */
    record TreeIHave(List<BroadcastId> ids) implements MeshMessage {}

    /** {@code [0x34, ids]}: broadcast tree, push payloads to the sender, starting with these. */
    record TreeGraft(List<BroadcastId> ids) implements MeshMessage {}

    /** {@code [0x35]}: broadcast tree, announce ids to the sender instead of pushing payloads. */
    record TreePrune() implements MeshMessage {}

    /** {@code [0x31]}, main flag ping: answered with a pong. */
    record Ping() implements MeshMessage {}

    /** {@code [0x32]}, main flag pong. */
    record Pong() implements MeshMessage {}

    /**
     * Parses a mesh message; {@code null} if its sub-flag is not the mesh's (a protocol layer's
     * or a user message).
     *
     * @throws ProtocolViolationException for a handshake of the right arity whose fields have the
     *     wrong types: the peer is disconnected
     * @throws IllegalArgumentException naming what is wrong with any other mesh message: it is
     *     refused
     */
    static MeshMessage parse(int mainFlag, List<Object> p) {
        int sub = p.isEmpty() || !(p.get(0) instanceof Long l) ? -1 : (int) (long) l;
        if (mainFlag == Flags.RENEGOTIATE && sub == Flags.COMPRESSION) {
            require(p.size() == 2 && p.get(1) instanceof List<?>, "a compression change must be [1, [ids]]");
            return new CompressionChange(compressionIds((List<?>) p.get(1)));
        }
        if (mainFlag == Flags.RENEGOTIATE && sub == Flags.RESEND) {
            return new Resend();
        }
        return switch (sub) {
            case Flags.HANDSHAKE -> handshake(p);
            case Flags.PEERS -> {
                require(p.size() == 2 && p.get(1) instanceof List<?>, "a peers list must be [7, [entries]]");
                yield peers((List<?>) p.get(1));
            }
            case Flags.REQUEST -> request(p);
            case Flags.RESPONSE -> {
                require(p.size() == 3 && p.get(1) instanceof String, "a response must be [10, request id, answer]");
                yield new Response((String) p.get(1), entry(p.get(2)));
            }
            case Flags.JV2P_HELLO -> new Hello(p.size() >= 2 && "jv2p".equals(p.get(1)), capabilities(p));
            case Flags.TREE_IHAVE -> new TreeIHave(treeIds(p, "an announcement must be [0x33, ids]"));
            case Flags.TREE_GRAFT -> new TreeGraft(treeIds(p, "a graft must be [0x34, ids]"));
            case Flags.TREE_PRUNE -> new TreePrune();
            case Flags.JV2P_PING -> new Ping();
            case Flags.JV2P_PONG -> new Pong();
            default -> null;
        };
    }

    /** A hello's capability names: strings of the list in element 3, within bounds; others ignored. */
    private static Set<String> capabilities(List<Object> p) {
        if (p.size() < 4 || !(p.get(3) instanceof List<?> list)) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (Object o : list) {
            if (names.size() < MAX_CAPABILITIES && o instanceof String s && s.length() <= MAX_CAPABILITY_LENGTH) {
                names.add(s);
            }
        }
        return Set.copyOf(names);
    }

    /** {@code [flag, bytes]} with 1 to {@link #MAX_TREE_IDS} ids of 16 bytes each, back to back. */
    private static List<BroadcastId> treeIds(List<Object> p, String form) {
        require(p.size() == 2 && p.get(1) instanceof byte[], form);
        byte[] bytes = (byte[]) p.get(1);
        int count = bytes.length / BroadcastId.LENGTH;
        require(
                bytes.length % BroadcastId.LENGTH == 0 && count >= 1 && count <= MAX_TREE_IDS,
                "ids must be 1 to " + MAX_TREE_IDS + " times 16 bytes, were " + bytes.length + " bytes");
        List<BroadcastId> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(BroadcastId.of(bytes, i * BroadcastId.LENGTH));
        }
        return List.copyOf(ids);
    }

    private static Handshake handshake(List<Object> p) {
        require(
                p.size() == 5,
                "a handshake must be [5, id, protocol, [host, port], [ids]], not " + (p.size() - 1) + " fields");
        if (!(p.get(1) instanceof String id)
                || id.isEmpty()
                || !(p.get(2) instanceof String proto)
                || !(p.get(3) instanceof List<?> addr)
                || !isAddress(addr)
                || !(p.get(4) instanceof List<?> methods)) {
            throw new ProtocolViolationException("malformed handshake");
        }
        String host = addr.get(0) instanceof String h ? h : null;
        if (addr.get(1) instanceof Long l && (l < 0 || l > 65535)) {
            throw new ProtocolViolationException("handshake port " + l + " out of range"); // wrapped, it was dialed
        }
        int port = addr.get(1) instanceof Long l ? (int) (long) l : 0;
        return new Handshake(id, proto, host, port, compressionIds(methods));
    }

    /**
     * A handshake's address: {@code [host, port]}, or {@code [nil, nil]} from a node that cannot
     * listen (js2p in a browser over {@code ws}).
     */
    private static boolean isAddress(List<?> addr) {
        return addr.size() == 2
                && (addr.get(0) instanceof String && addr.get(1) instanceof Long
                        || addr.get(0) == null && addr.get(1) == null);
    }

    private static MeshMessage request(List<Object> p) {
        if (p.size() == 2 && "*".equals(p.get(1))) {
            return new StateRequest();
        }
        require(
                p.size() == 3 && p.get(1) instanceof String && p.get(2) instanceof String,
                "a request must be [8, '*'] or [8, request id, wanted id]");
        return new Lookup((String) p.get(1), (String) p.get(2));
    }

    private static Peers peers(List<?> entries) {
        List<PeerEntry> out = new ArrayList<>(entries.size());
        for (Object entry : entries) {
            PeerEntry e = entry(entry);
            if (e != null) {
                out.add(e);
            }
        }
        return new Peers(List.copyOf(out));
    }

    /** {@code [[host, port], id]}, or null when {@code o} is not of that form. */
    private static PeerEntry entry(Object o) {
        if (!(o instanceof List<?> pair)
                || pair.size() != 2
                || !(pair.get(0) instanceof List<?> addr)
                || addr.size() != 2
                || !(addr.get(0) instanceof String host)
                || !(addr.get(1) instanceof Long port)
                || !(pair.get(1) instanceof String id)) {
            return null;
        }
        if (port < 1 || port > 65535) {
            return null; // no address to dial (a port outside int range once wrapped into one)
        }
        return new PeerEntry(host, (int) (long) port, id);
    }

    /** The ids of a compression list in order, each once; entries that are no id 0-255 left out. */
    static List<Integer> compressionIds(List<?> methods) {
        List<Integer> ids = new ArrayList<>();
        for (Object o : methods) {
            if (o instanceof Long l && l >= 0 && l <= 0xff && !ids.contains((int) (long) l)) {
                ids.add((int) (long) l);
            }
        }
        return List.copyOf(ids);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }
}
