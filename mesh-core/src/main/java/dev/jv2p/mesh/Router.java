package dev.jv2p.mesh;

import dev.jv2p.mesh.MeshMessages.MeshMessage;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.spi.Network;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's routing state and rules: the routing table, what a decoded message does (relay,
 * the mesh's own messages, protocol layers, the user), and the connection life cycle. The
 * inbound pipeline ({@link InboundLimiter}, {@link FrameOpener}, {@link PacketDecoder}) hands
 * it typed messages. Every method runs on the node's event loop ({@link #loop}); the only
 * fields read elsewhere are the volatile snapshot and the concurrent registries.
 */
final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

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
    final MessageEncoder encoder;
    final MeshCounters counters = new MeshCounters();
    String ownId;
    String advertisedHost;
    int advertisedPort;

    final Map<String, Connection> table = new LinkedHashMap<>();
    final List<Connection> connections = new ArrayList<>();

    /** Inbound links beyond {@code maxPeers} at once, at most (see {@link #referrals}). */
    static final int MAX_REFERRALS = 16;

    /**
     * Inbound links that came when this node already had {@code maxPeers} connections: each
     * gets the handshake and this node's peers list, then is closed ({@link
     * Handshaker#onHandshake}). Refusing them outright would leave a node that knows no other
     * address without a single link: when many nodes join through one contact at once, an
     * island each.
     */
    final Set<Connection> referrals = new HashSet<>();

    final SeenCache seen;
    final PeerDiscovery discovery;
    final Membership membership;
    final PeerStatuses statuses = new PeerStatuses(this);
    final Handshaker handshaker = new Handshaker(this);
    final DuplicateLinks duplicates;
    final KeepAlive keepAlive = new KeepAlive(this);
    final Relay relay = new Relay(this);
    final BroadcastTree tree;
    final List<MessageHandler> handlers = new CopyOnWriteArrayList<>();
    final List<PeerEvents> peerEvents = new CopyOnWriteArrayList<>();
    /** Sub-flags a layer declared whisper-only (see {@link LayerContext#registerWhisperOnly}). */
    final Set<Integer> whisperOnly = ConcurrentHashMap.newKeySet();

    volatile Map<String, PeerInfo> tableSnapshot = Map.of();

    Router(
            MeshSocket socket,
            MeshConfig config,
            EventLoop loop,
            Codec codec,
            Transport transport,
            Map<Integer, Compression> supported,
            List<Compression> sendPreference) {
        this.socket = socket;
        this.config = config;
        this.loop = loop;
        this.codec = codec;
        this.transport = transport;
        this.authenticatesPeers = socket.identity().isPresent();
        this.supported = supported;
        this.sendPreference = sendPreference;
        this.protocolId = config.protocol().id();
        this.encoder = new MessageEncoder(codec, config.clock());
        this.seen = new SeenCache(config.broadcastWindow().toSeconds(), config.seenCacheMaxEntries());
        this.discovery = new PeerDiscovery(this);
        this.membership = new Membership(this);
        this.duplicates = new DuplicateLinks(this, config.keepAliveTimeout());
        this.tree = new BroadcastTree(this);
    }

    /** Sets this node's id and advertised address, known once the node listens. */
    void identify(String id, String host, int port) {
        this.ownId = id;
        this.advertisedHost = host;
        this.advertisedPort = port;
        encoder.identify(id);
    }

    void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    long now() {
        return encoder.now();
    }

    // ---- connection life cycle -------------------------------------------------------

    Connection newConnection(Channel ch, boolean outgoing, String expectedId, Network network) {
        return new Connection(ch, outgoing, expectedId, config, counters, encoder, network);
    }

    /** The inbound stages after framing, in order, ending with this router's handler. */
    void addInboundStages(ChannelPipeline pipeline, Connection c, FrameDecoder decoder) {
        pipeline.addLast("limiter", new InboundLimiter(c, config.maxMessagesPerSecond(), config.messageBurst()));
        pipeline.addLast(
                "opener",
                new FrameOpener(c, seen, counters, config.maxFrameLength(), body -> tree.onDuplicate(c, body)));
        pipeline.addLast(
                "decoder",
                new PacketDecoder(
                        c, codec, config.decodeLimits(), protocolId + " (" + config.protocol() + ")", socket));
        pipeline.addLast("router", new InboundHandler(this, c, decoder));
    }

    void onActive(Connection c) {
        assert loop.inEventLoop();
        if (!c.isOutgoing() && connections.size() >= config.maxPeers()) {
            referrals.add(c);
        }
        connections.add(c);
        handshaker.sendFirst(c);
        c.startHandshakeTimer(config.handshakeTimeout());
    }

    /** Puts a connection whose handshake was accepted in the routing table. */
    void join(Connection c) {
        boolean wasEmpty = table.isEmpty();
        table.put(c.id(), c);
        refreshSnapshot();
        LOG.debug("{} joined the routing table ({} peers)", c, table.size());
        if (wasEmpty) {
            socket.fireConnect();
        }
        for (PeerEvents e : peerEvents) {
            safely(() -> e.onPeerReady(c, c.awaitsPeer()));
        }
        c.ready().complete(c.info());
        membership.onJoined();
    }

    void onInactive(Connection c) {
        assert loop.inEventLoop();
        connections.remove(c);
        referrals.remove(c);
        c.onClosed();
        tree.onClosed(c);
        if (c.id() != null && table.get(c.id()) == c) {
            table.remove(c.id());
            refreshSnapshot();
            statuses.closed(c);
        }
        if (c.closeReason() == null) {
            LOG.debug("{} closed the connection", c);
        }
        if (c.isHandshaken()) {
            for (PeerEvents e : peerEvents) {
                safely(() -> e.onPeerClosed(c));
            }
        }
        membership.onClosed(c); // first: it tells a referral, which discovery does not redial
        discovery.onClosed(c);
    }

    // ---- inbound ------------------------------------------------------------------------

    void onMessage(Connection c, Inbound in) {
        assert loop.inEventLoop();
        try {
            process(c, in);
        } catch (RuntimeException e) {
            // A peer's message must never hurt others; but an exception here is our bug, so
            // the stack trace goes to the log.
            LOG.warn("processing a message from {} failed", c, e);
            c.close("message could not be processed (" + e + ")", true);
        }
    }

    private void process(Connection c, Inbound in) {
        Message m = in.message();
        int flag = m.mainFlag();
        int sub = m.subFlag();
        if (flag == Flags.RENEGOTIATE && (sub == Flags.COMPRESSION || sub == Flags.RESEND)) {
            if (in.refusal() != null) {
                c.refused(sub, in.refusal().getMessage());
            } else if (in.parsed() instanceof MeshMessages.CompressionChange change) {
                c.applyCompression(change.compression(), supported, sendPreference);
                c.refreshInfo();
            }
            return;
        }
        if (flag == Flags.BROADCAST && (speaksForTheLink(in) || whisperOnly.contains(sub))) {
            // A handshake, a peers list and a '*' request speak for the link they arrive on,
            // and nodes whisper them. Relayed, a broadcast handshake would rewrite the link of
            // every node it reached to the sender's address and compression (or close it if
            // malformed); a peers list would make the whole mesh dial addresses of one peer's
            // choosing; a '*' request would make every node send its full state to whichever
            // neighbour relayed it; a relayed hello would mark the relaying link (perhaps a js2p
            // node) as jv2p; the broadcast tree's prunes, grafts and announcements would change
            // or fill links they never crossed. Layers declare their own such sub-flags (registerWhisperOnly). So
            // none of them is relayed or acted on.
            LOG.debug("{} broadcast a message of sub-flag {} that only a whisper may carry; dropped", c, sub);
            return;
        }
        if (flag == Flags.BROADCAST) {
            long now = now();
            if (m.time() < now - config.broadcastWindow().toSeconds()) {
                counters.expiredDropped();
                return;
            }
            if (!seen.add(in.block().checksum(), m.time(), now)) {
                counters.duplicateDropped();
                tree.onDuplicate(c, in.block().checksum());
                return;
            }
            tree.onReceived(c, m.sender(), in.block().checksum());
            relay.relay(c, m, in.block());
        }
        if (in.refusal() instanceof ProtocolViolationException violation) {
            c.close(violation.getMessage(), true);
        } else if (in.refusal() != null) {
            c.refused(sub, in.refusal().getMessage());
        } else if (in.parsed() != null) {
            dispatch(c, in.parsed());
        } else {
            handOn(m);
        }
    }

    private static boolean speaksForTheLink(Inbound in) {
        int sub = in.message().subFlag();
        return sub == Flags.HANDSHAKE
                || sub == Flags.PEERS
                || sub == Flags.JV2P_HELLO
                || sub == Flags.TREE_IHAVE
                || sub == Flags.TREE_GRAFT
                || sub == Flags.TREE_PRUNE
                || in.parsed() instanceof MeshMessages.StateRequest;
    }

    private void dispatch(Connection c, MeshMessage message) {
        if (message instanceof MeshMessages.Handshake h) {
            handshaker.onHandshake(c, h);
        } else if (message instanceof MeshMessages.Peers p) {
            discovery.onPeers(p.entries());
        } else if (message instanceof MeshMessages.Response r) {
            discovery.onResponse(r);
        } else if (message instanceof MeshMessages.StateRequest) {
            discovery.onStateRequest(c);
        } else if (message instanceof MeshMessages.Lookup l) {
            discovery.onLookup(c, l);
        } else if (message instanceof MeshMessages.Hello hello) {
            handshaker.onHello(c, hello);
        } else if (message instanceof MeshMessages.TreeIHave have) {
            tree.onIHave(c, have.ids());
        } else if (message instanceof MeshMessages.TreeGraft graft) {
            tree.onGraft(c, graft.ids());
        } else if (message instanceof MeshMessages.TreePrune) {
            tree.onPrune(c);
        } else if (message instanceof MeshMessages.Ping) {
            c.sendNow(Flags.PONG, List.of((long) Flags.JV2P_PONG));
        }
        // A pong, a compression change or a resend under another main flag: nothing to do.
    }

    /** A message that is not the mesh's: to the protocol layers' handlers, else to the user. */
    private void handOn(Message m) {
        for (MessageHandler h : handlers) {
            if (h.handle(m)) {
                return;
            }
        }
        int sub = m.subFlag();
        if (sub == Flags.BROADCAST || sub == Flags.WHISPER) {
            socket.deliver(m);
        }
    }

    void refreshSnapshot() {
        Map<String, PeerInfo> snap = new LinkedHashMap<>();
        for (Map.Entry<String, Connection> e : table.entrySet()) {
            snap.put(e.getKey(), e.getValue().info());
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
