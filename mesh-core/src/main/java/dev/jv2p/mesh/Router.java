package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.spi.Transport;
import dev.jv2p.mesh.wire.FrameException;
import dev.jv2p.mesh.wire.Frames;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's protocol state and rules: routing table, handshake, relay with duplicate
 * suppression, dispatch. Every method runs on the node's event loop ({@link #loop}); the
 * only fields read elsewhere are the volatile snapshots.
 */
final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    static final String JV2P_VERSION = "0.1";

    final MeshSocket socket;
    final MeshConfig config;
    final EventLoop loop;
    final Codec codec;
    final Transport transport;
    /** Whether peers must prove the id they announce (the transport binds ids to keys). */
    final boolean authenticatesPeers;
    final Map<Integer, Compression> supported;
    final List<Compression> sendPreference;
    final String protocolId;
    String ownId;
    String advertisedHost;
    int advertisedPort;

    final Map<String, Connection> table = new LinkedHashMap<>();
    final List<Connection> connections = new ArrayList<>();
    final SeenCache seen;
    final PeerDiscovery discovery;
    final PeerStatuses statuses = new PeerStatuses(this);
    final List<MessageHandler> handlers = new CopyOnWriteArrayList<>();
    final List<PeerEvents> peerEvents = new CopyOnWriteArrayList<>();
    /** How messages of a jv2p-only sub-flag travel to peers not known as jv2p (see {@link MeshSocket#registerFallback}). */
    final Map<Integer, Function<List<Object>, List<List<Object>>>> fallbacks = new ConcurrentHashMap<>();
    /** Sub-flags a layer declared whisper-only (see {@link MeshSocket#registerWhisperOnly}). */
    final Set<Integer> whisperOnly = ConcurrentHashMap.newKeySet();
    volatile Map<String, PeerInfo> tableSnapshot = Map.of();

    final AtomicLong framesIn = new AtomicLong();
    final AtomicLong framesOut = new AtomicLong();
    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong bytesOut = new AtomicLong();
    final AtomicLong duplicatesDropped = new AtomicLong();
    final AtomicLong expiredDropped = new AtomicLong();
    final AtomicLong relayed = new AtomicLong();

    Router(MeshSocket socket, MeshConfig config, EventLoop loop, Codec codec, Transport transport,
            Map<Integer, Compression> supported, List<Compression> sendPreference) {
        this.socket = socket;
        this.config = config;
        this.loop = loop;
        this.codec = codec;
        this.transport = transport;
        this.authenticatesPeers = socket.identity().isPresent();
        this.supported = supported;
        this.sendPreference = sendPreference;
        this.protocolId = config.protocol().id();
        this.seen = new SeenCache(config.broadcastWindow().toSeconds(), config.seenCacheMaxEntries());
        this.discovery = new PeerDiscovery(this);
    }

    void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    long now() {
        return Math.floorDiv(config.clock().millis(), 1000L);
    }

    // ---- connection life cycle -------------------------------------------------------

    void onActive(Connection c) {
        connections.add(c);
        sendHandshake(c);
        c.handshakeTimer = loop.schedule(() -> {
            if (!c.handshaken) {
                closeConnection(c, "no handshake within " + config.handshakeTimeout().toMillis() + " ms", false);
            }
        }, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    void onInactive(Connection c) {
        connections.remove(c);
        c.onClosed();
        if (c.handshakeTimer != null) {
            c.handshakeTimer.cancel(false);
        }
        if (c.id != null && table.get(c.id) == c) {
            table.remove(c.id);
            refreshSnapshot();
            statuses.closed(c);
        }
        if (c.closeReason == null) {
            LOG.debug("{} closed the connection", c);
        }
        if (!c.ready.isDone()) {
            c.ready.completeExceptionally(new HandshakeException(
                    "connection to " + c + " closed before the handshake: "
                            + (c.closeReason == null ? "closed by the peer" : c.closeReason)));
        }
        if (c.handshaken) {
            for (PeerEvents e : peerEvents) {
                safely(() -> e.onPeerClosed(c));
            }
        }
        discovery.onClosed(c);
    }

    /** Closes a connection: INFO for routine reasons, WARN for hostile input. */
    void closeConnection(Connection c, String reason, boolean hostile) {
        if (c.closeReason != null) {
            return;
        }
        c.closeReason = reason;
        if (hostile) {
            LOG.warn("closing {}: {}", c, reason);
        } else {
            LOG.info("closing {}: {}", c, reason);
        }
        c.channel.close();
    }

    // ---- inbound ------------------------------------------------------------------------

    void onFrame(Connection c, byte[] body) {
        if (c.closeReason != null) {
            return;
        }
        framesIn.incrementAndGet();
        bytesIn.addAndGet(body.length + Frames.PREFIX_LENGTH);
        c.messagesIn++;
        c.bytesIn += body.length + Frames.PREFIX_LENGTH;
        c.lastHeardNanos = System.nanoTime();
        if (!c.inboundRate.tryTake(c.lastHeardNanos)) {
            closeConnection(c, "sent more than " + config.maxMessagesPerSecond() + " messages a second (burst "
                    + config.messageBurst() + ")", true);
            return;
        }
        if (c.handshaken && c.receiveMethods.isEmpty() && body.length >= Frames.CHECKSUM_LENGTH
                && seen.contains(body, 0)) {
            // An uncompressed body starts with the checksum of its payload, which covers the
            // time too: a copy of a broadcast already seen is dropped before it is hashed and
            // decoded, which is most of what a relayed copy would cost. A forged body that
            // carries a seen checksum is dropped as well, which costs nobody anything.
            duplicatesDropped.incrementAndGet();
            return;
        }
        Frames.Block block;
        List<Object> list;
        try {
            block = Frames.open(body, c.receiveMethods, config.maxFrameLength());
            list = codec.decode(block.payload(), config.decodeLimits());
        } catch (FrameException e) {
            closeConnection(c, "bad frame: " + e.getMessage(), true);
            return;
        } catch (CodecException e) {
            if (!c.handshaken) {
                // A peer that has not handshaken has claimed no protocol yet, and a body this
                // codec cannot read is most likely another codec's handshake: the same
                // mismatch as another protocol id, not an attack.
                closeConnection(c, "protocol mismatch: a frame before the peer's handshake is not a " + codec.name()
                        + " body, so it uses another codec or is no p2p.today node; this node "
                        + protocolId + " (" + config.protocol() + "): " + e.getMessage(), false);
                return;
            }
            closeConnection(c, "malformed body: " + e.getMessage(), true);
            return;
        }
        Message m = toMessage(c, block, list);
        if (m == null) {
            return;
        }
        if (!c.handshaken && m.subFlag() != Flags.HANDSHAKE) {
            // js2p processes frames before the handshake (spec §9.3); jv2p drops them, since a
            // peer that has not said who it is cannot be routed to or held to a protocol.
            LOG.debug("{} sent a message before its handshake; dropped", c);
            return;
        }
        try {
            process(c, m, block);
        } catch (RuntimeException e) {
            // A peer's message must never hurt others; but an exception here is our bug, so
            // the stack trace goes to the log.
            LOG.warn("processing a message from {} failed", c, e);
            closeConnection(c, "message could not be processed (" + e + ")", true);
        }
    }

    private Message toMessage(Connection c, Frames.Block block, List<Object> list) {
        if (list.size() < 3 || !(list.get(0) instanceof Long flag) || flag < 0 || flag > Flags.PONG
                || !(list.get(1) instanceof String sender) || !(list.get(2) instanceof Number time)) {
            closeConnection(c, "malformed packet list: " + abbreviate(Values.toString(list)), true);
            return null;
        }
        List<Object> packets = Collections.unmodifiableList(new ArrayList<>(list.subList(3, list.size())));
        long seconds = time instanceof Double d ? (long) Math.floor(d) : time.longValue();
        return new Message((int) (long) flag, sender, seconds, packets, block.checksum(), c, socket);
    }

    private void process(Connection c, Message m, Frames.Block block) {
        int flag = m.mainFlag();
        int sub = m.subFlag();
        if (flag == Flags.RENEGOTIATE && (sub == Flags.COMPRESSION || sub == Flags.RESEND)) {
            if (sub == Flags.COMPRESSION && m.packets().size() == 2 && m.packets().get(1) instanceof List<?> l) {
                applyCompressionList(c, l);
                c.refreshInfo();
            }
            return;
        }
        if (flag == Flags.BROADCAST && (speaksForTheLink(m) || whisperOnly.contains(sub))) {
            // A handshake, a peers list and a '*' request speak for the link they arrive on,
            // and nodes whisper them. Relayed, a broadcast handshake would rewrite the link of
            // every node it reached to the sender's address and compression (or close it if
            // malformed); a peers list would make the whole mesh dial addresses of one peer's
            // choosing; a '*' request would make every node send its full state to whichever
            // neighbour relayed it; a relayed hello would mark the relaying link (perhaps a js2p
            // node) as jv2p. Layers declare their own such sub-flags (registerWhisperOnly). So
            // none of them is relayed or acted on.
            LOG.debug("{} broadcast a message of sub-flag {} that only a whisper may carry; dropped", c, sub);
            return;
        }
        if (flag == Flags.BROADCAST) {
            long now = now();
            if (m.time() < now - config.broadcastWindow().toSeconds()) {
                expiredDropped.incrementAndGet();
                return;
            }
            if (!seen.add(block.checksum(), m.time(), now)) {
                duplicatesDropped.incrementAndGet();
                return;
            }
            relay(c, m, block);
        }
        dispatch(c, m);
    }

    private static boolean speaksForTheLink(Message m) {
        int sub = m.subFlag();
        return sub == Flags.HANDSHAKE || sub == Flags.PEERS || sub == Flags.JV2P_HELLO
                || (sub == Flags.REQUEST && m.packets().size() == 2 && "*".equals(m.packets().get(1)));
    }

    private void relay(Connection from, Message m, Frames.Block block) {
        byte[] original = new byte[Frames.CHECKSUM_LENGTH + block.payload().length];
        System.arraycopy(block.checksum(), 0, original, 0, Frames.CHECKSUM_LENGTH);
        System.arraycopy(block.payload(), 0, original, Frames.CHECKSUM_LENGTH, block.payload().length);
        Function<List<Object>, List<List<Object>>> fallback = fallbacks.get(m.subFlag());
        List<byte[]> fallbackBlocks = null;
        for (Connection peer : table.values()) {
            if (peer != from && !peer.id.equals(m.sender())) {
                if (fallback != null && !peer.jv2p && !authenticatesPeers) {
                    if (fallbackBlocks == null) {
                        fallbackBlocks = fallbackBlocks(fallback, m.mainFlag(), m.sender(), m.time(), m.packets());
                    }
                    for (byte[] b : fallbackBlocks) {
                        peer.writeBlock(b, true);
                    }
                } else {
                    peer.writeBlock(original, true);
                }
                relayed.incrementAndGet();
            }
        }
    }

    /**
     * The messages that stand for one of a jv2p-only sub-flag towards peers not known as
     * jv2p: each stamped with the original sender and time, so that every node that expands
     * the same message sends the same bytes and the copies meet in the seen-caches. Recorded
     * here as seen, so copies coming back are dropped.
     */
    private List<byte[]> fallbackBlocks(Function<List<Object>, List<List<Object>>> fallback, int mainFlag,
            String sender, long time, List<Object> packets) {
        List<byte[]> blocks = new ArrayList<>();
        long now = now();
        for (List<Object> each : fallback.apply(packets)) {
            byte[] block = encodeBlock(mainFlag, sender, time, each);
            if (mainFlag == Flags.BROADCAST) {
                seen.add(java.util.Arrays.copyOf(block, Frames.CHECKSUM_LENGTH), time, now);
            }
            blocks.add(block);
        }
        return blocks;
    }

    private void dispatch(Connection c, Message m) {
        int sub = m.subFlag();
        List<Object> p = m.packets();
        switch (sub) {
            case Flags.HANDSHAKE -> {
                if (p.size() == 5) {
                    onHandshake(c, p);
                    return;
                }
            }
            case Flags.PEERS -> {
                if (p.size() == 2 && p.get(1) instanceof List<?> list) {
                    discovery.onPeers(list);
                }
                return;
            }
            case Flags.RESPONSE -> {
                if (p.size() == 3) {
                    discovery.onResponse(p.get(1), p.get(2));
                }
                return;
            }
            case Flags.REQUEST -> {
                if (p.size() == 2 && "*".equals(p.get(1))) {
                    discovery.onStateRequest(c);
                    return;
                }
                if (p.size() == 3) {
                    discovery.onLookup(c, p.get(1), p.get(2));
                    return;
                }
            }
            case Flags.JV2P_HELLO -> {
                onHello(c, p);
                return;
            }
            case Flags.JV2P_PING -> {
                sendTo(c, Flags.PONG, List.of((long) Flags.JV2P_PONG));
                return;
            }
            case Flags.JV2P_PONG -> {
                return;
            }
            default -> {
                // handled below
            }
        }
        for (MessageHandler h : handlers) {
            if (h.handle(m)) {
                return;
            }
        }
        if (sub == Flags.BROADCAST || sub == Flags.WHISPER) {
            socket.deliver(m);
        }
    }

    /**
     * A handshake's address: {@code [host, port]}, or {@code [nil, nil]} from a node that cannot
     * listen (js2p in a browser over {@code ws}), which is then never dialed or put in a peers list.
     */
    private static boolean isAddress(List<?> addr) {
        return addr.size() == 2 && (addr.get(0) instanceof String && addr.get(1) instanceof Long
                || addr.get(0) == null && addr.get(1) == null);
    }

    private void onHandshake(Connection c, List<Object> p) {
        if (!(p.get(1) instanceof String id) || id.isEmpty() || !(p.get(2) instanceof String proto)
                || !(p.get(3) instanceof List<?> addr) || !isAddress(addr) || !(p.get(4) instanceof List<?> methods)) {
            closeConnection(c, "malformed handshake", true);
            return;
        }
        if (!proto.equals(protocolId)) {
            closeConnection(c, "protocol mismatch: peer speaks " + proto + ", this node " + protocolId
                    + " (" + config.protocol() + ")", false);
            return;
        }
        if (id.equals(ownId)) {
            closeConnection(c, "connected to itself", false);
            return;
        }
        if (authenticatesPeers) {
            String proven = transport.authenticatedPeerId(c.channel);
            if (!id.equals(proven)) {
                closeConnection(c, "announced node id " + abbreviate(id) + " but its key proves "
                        + (proven == null ? "no id" : proven), true);
                return;
            }
        }
        c.advertisedHost = addr.get(0) instanceof String host ? host : null; // null: never dialed, never listed
        c.advertisedPort = addr.get(1) instanceof Long port ? (int) (long) port : 0;
        applyCompressionList(c, methods);
        if (c.handshaken) {
            c.refreshInfo();
            refreshSnapshot();
            return;
        }
        c.id = id;
        Connection existing = table.get(id);
        if (existing != null && existing != c) {
            if (!prefer(c, existing)) {
                closeConnection(c, "duplicate connection; keeping the one dialed by the smaller id", false);
                return;
            }
            closeConnection(existing, "duplicate connection; keeping the one dialed by the smaller id", false);
        }
        c.handshaken = true;
        c.handshakenNanos = System.nanoTime();
        c.handshakeTimer.cancel(false);
        c.refreshInfo();
        if (c.awaiting) {
            sendHandshake(c);
            sendTo(c, Flags.WHISPER, List.of((long) Flags.PEERS, discovery.peersList(c)));
        }
        sendTo(c, Flags.WHISPER, List.of((long) Flags.JV2P_HELLO, "jv2p", JV2P_VERSION));
        boolean wasEmpty = table.isEmpty();
        table.put(id, c);
        refreshSnapshot();
        LOG.debug("{} joined the routing table ({} peers)", c, table.size());
        if (wasEmpty) {
            socket.fireConnect();
        }
        for (PeerEvents e : peerEvents) {
            safely(() -> e.onPeerReady(c, c.awaiting));
        }
        c.ready.complete(c.info);
    }

    /**
     * Of two connections to the same node, both sides keep the one dialed by the node with
     * the smaller id, so they agree without talking; two dialed by the same node: the older,
     * unless the older has been silent past the keep-alive timeout (the dialer lost it).
     */
    private boolean prefer(Connection candidate, Connection existing) {
        String a = candidate.outgoing ? ownId : candidate.id;
        String b = existing.outgoing ? ownId : existing.id;
        if (a.equals(b) && !candidate.outgoing
                && System.nanoTime() - existing.lastHeardNanos > config.keepAliveTimeout().toNanos()) {
            // The peer dialed again while the older connection it dialed has been silent past
            // the keep-alive timeout: the peer has lost that one (its close never arrived),
            // and keeping it would refuse every new connection from the peer.
            return true;
        }
        return !a.equals(b) && a.compareTo(b) < 0;
    }

    private void onHello(Connection c, List<Object> p) {
        if (p.size() >= 2 && "jv2p".equals(p.get(1)) && !c.jv2p) {
            c.jv2p = true;
            c.refreshInfo();
            refreshSnapshot();
            for (PeerEvents e : peerEvents) {
                safely(() -> e.onJv2pPeer(c));
            }
        }
    }

    private void applyCompressionList(Connection c, List<?> methods) {
        List<Integer> ids = new ArrayList<>();
        for (Object o : methods) {
            if (o instanceof Long l && l >= 0 && l <= 0xff && !ids.contains((int) (long) l)) {
                ids.add((int) (long) l);
            }
        }
        c.compression = List.copyOf(ids);
        List<Compression> receive = new ArrayList<>();
        for (Integer id : ids) {
            Compression method = supported.get(id);
            if (method != null) {
                receive.add(method);
            }
        }
        c.receiveMethods = List.copyOf(receive);
        c.sendMethod = null;
        for (Compression mine : sendPreference) {
            if (ids.contains(mine.flag())) {
                c.sendMethod = mine;
                break;
            }
        }
    }

    // ---- outbound -----------------------------------------------------------------------

    private void sendHandshake(Connection c) {
        List<Object> payload = List.of((long) Flags.HANDSHAKE, ownId, protocolId,
                List.of(advertisedHost, (long) advertisedPort), compressionIds());
        byte[] block = encodeBlock(Flags.WHISPER, now(), payload);
        c.writeBlock(block, false);
    }

    private List<Object> compressionIds() {
        List<Object> out = new ArrayList<>();
        for (Integer id : config.announcedCompression()) {
            out.add((long) id);
        }
        return out;
    }

    byte[] encodeBlock(int mainFlag, long time, List<Object> payload) {
        return encodeBlock(mainFlag, ownId, time, payload);
    }

    private byte[] encodeBlock(int mainFlag, String sender, long time, List<Object> payload) {
        List<Object> list = new ArrayList<>(payload.size() + 3);
        list.add((long) mainFlag);
        list.add(sender);
        list.add(time);
        list.addAll(payload);
        return Frames.block(codec.encode(list));
    }

    void sendTo(Connection c, int mainFlag, List<Object> payload) {
        c.writeBlock(encodeBlock(mainFlag, now(), payload), true);
    }

    /** Sends one message, stamped once, to every peer in the routing table. */
    void sendToAll(int mainFlag, long time, List<Object> payload) {
        byte[] block = encodeBlock(mainFlag, time, payload);
        if (mainFlag == Flags.BROADCAST) {
            byte[] checksum = java.util.Arrays.copyOf(block, Frames.CHECKSUM_LENGTH);
            seen.add(checksum, time, now());
        }
        Function<List<Object>, List<List<Object>>> fallback = payload.isEmpty() || !(payload.get(0) instanceof Long sub)
                ? null : fallbacks.get((int) (long) sub);
        List<byte[]> fallbackBlocks = null;
        for (Connection c : table.values()) {
            if (fallback != null && !c.jv2p && !authenticatesPeers) {
                if (fallbackBlocks == null) {
                    fallbackBlocks = fallbackBlocks(fallback, mainFlag, ownId, time, payload);
                }
                for (byte[] b : fallbackBlocks) {
                    c.writeBlock(b, true);
                }
            } else {
                c.writeBlock(block, true);
            }
        }
    }

    void countSent(int bodyLength) {
        framesOut.incrementAndGet();
        bytesOut.addAndGet(bodyLength + Frames.PREFIX_LENGTH);
    }

    // ---- keep-alive -----------------------------------------------------------------------

    /** Pings jv2p peers and drops those silent past the timeout; js2p peers never answer pings. */
    void keepAlive() {
        long timeoutNanos = config.keepAliveTimeout().toNanos();
        long nowNanos = System.nanoTime();
        for (Connection c : new ArrayList<>(table.values())) {
            if (!c.jv2p && c.outgoing && c.messagesIn < 2 && nowNanos - c.handshakenNanos > timeoutNanos) {
                // The listening side of a connection, js2p or jv2p, follows its first handshake
                // with a second one and a peers list (spec §9.2). Nothing after it means the
                // peer dropped the connection right away (as a duplicate, say) and its close
                // was lost in a network cut: without this, such a connection would never be
                // dropped, since a peer not known as jv2p may stay silent for good.
                c.lost = true;
                closeConnection(c, "the peer never followed its handshake with a peers list", false);
                continue;
            }
            if (!c.jv2p) {
                // Not (yet) known as jv2p: say hello again. js2p drops the unknown whisper
                // silently, so this costs it nothing; a jv2p peer whose first hello was lost
                // (a network cut right after the handshake) is recognised and kept alive; and
                // writing on a connection the peer has long dropped makes its host answer with
                // a reset once the network heals, so the dead entry leaves the routing table.
                sendTo(c, Flags.WHISPER, List.of((long) Flags.JV2P_HELLO, "jv2p", JV2P_VERSION));
                continue;
            }
            if (nowNanos - c.lastHeardNanos > timeoutNanos) {
                c.lost = true;
                closeConnection(c, "silent for longer than the keep-alive timeout", false);
            } else {
                sendTo(c, Flags.PING, List.of((long) Flags.JV2P_PING));
            }
        }
    }

    void refreshSnapshot() {
        Map<String, PeerInfo> snap = new LinkedHashMap<>();
        for (Map.Entry<String, Connection> e : table.entrySet()) {
            snap.put(e.getKey(), e.getValue().info);
        }
        tableSnapshot = Collections.unmodifiableMap(snap);
    }

    static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("a protocol extension failed: {}", e.toString(), e);
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
