package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.PlaintextTransport;
import dev.jv2p.mesh.spi.Network;
import dev.jv2p.mesh.spi.NodeIdentity;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A network inside one JVM, over Netty's local channels: nodes listen and dial by host and
 * port as on TCP, but bytes move between their pipelines in memory, without sockets or
 * system calls. For simulations of large meshes and for tests; nodes on it reach only nodes
 * of the same instance.
 *
 * <p>Put a node on it through its transport: {@code MeshConfig.builder().transport(network.plaintext())},
 * or {@link #over(Transport)} for another transport (TLS, say). A node that is given an event
 * loop group ({@code MeshConfig.eventLoopGroup}) needs one built with {@link #ioHandlerFactory()}.
 *
 * <p>Addresses are a host (any non-blank name; there is no wildcard) and a port. Port 0 binds
 * the next port of 49152–65535 this instance has not handed out yet, in turn; a port asked for
 * by number is bound as asked, and binding a taken one fails as on TCP.
 *
 * <p>{@link #partition} cuts the network in two: the links between the two groups close and
 * dials between them fail, until {@link #heal()}. A node is known by the address it bound
 * through its transport, so each node needs a transport of its own ({@link #plaintext()} or
 * {@link #over} once per node). Thread-safe.
 */
public final class InMemoryNetwork implements Network {
    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final int FIRST_EPHEMERAL = 49152;
    private static final int EPHEMERAL_PORTS = 65536 - FIRST_EPHEMERAL;

    /** Keeps this instance's addresses apart from other instances' in Netty's JVM-wide registry. */
    private final String prefix = "jv2p-memory-" + INSTANCES.incrementAndGet() + "/";

    private final AtomicInteger ephemeral = new AtomicInteger();
    /** The "host:port" of the nodes cut off from the others, or null while the network is whole. */
    private volatile Set<String> cutOff;
    /** Every open dialed channel and the "host:port" of the node that dialed it. */
    private final Map<Channel, String> dialed = new ConcurrentHashMap<>();

    /** A new network, with no node on it. */
    public InMemoryNetwork() {}

    /** A {@code Plaintext} transport on this network: frames as they are, in memory. */
    public Transport plaintext() {
        return over(new PlaintextTransport());
    }

    /**
     * {@code transport} on this network: its name, channel set-up and identity, with this
     * network's channels. The protocol id is that of {@code transport}, so such nodes form the
     * same mesh as they would over TCP.
     */
    public Transport over(Transport transport) {
        Objects.requireNonNull(transport, "transport");
        NodeView node = new NodeView();
        return new Transport() {
            @Override
            public String name() {
                return transport.name();
            }

            @Override
            public void initChannel(Channel channel, boolean client) throws Exception {
                channel.pipeline().addLast("in-memory-reads", new LaterReads(client ? node : null));
                if (client && node.self != null) {
                    dialed.put(channel, node.self);
                    channel.closeFuture().addListener(f -> dialed.remove(channel));
                }
                transport.initChannel(channel, client);
            }

            @Override
            public Optional<NodeIdentity> identity() {
                return transport.identity();
            }

            @Override
            public String authenticatedPeerId(Channel channel) {
                return transport.authenticatedPeerId(channel);
            }

            @Override
            public Network network() {
                return node;
            }

            @Override
            public String toString() {
                return transport.name() + " over " + InMemoryNetwork.this;
            }
        };
    }

    /**
     * Cuts every link between the nodes listening at {@code side} and all others, and makes dials
     * between the two groups fail, until {@link #heal()}. Links within each group stay.
     *
     * @throws IllegalStateException if the network is already partitioned
     */
    public void partition(Collection<InetSocketAddress> side) {
        Set<String> group = ConcurrentHashMap.newKeySet();
        for (InetSocketAddress a : side) {
            group.add(a.getHostString() + ":" + a.getPort());
        }
        synchronized (this) {
            if (cutOff != null) {
                throw new IllegalStateException("the network is already partitioned: heal it first");
            }
            cutOff = Set.copyOf(group);
        }
        // a dial still connecting is closed by LaterReads when it becomes active
        dialed.forEach((channel, dialer) -> {
            if (cut(dialer, hostPort(channel.remoteAddress()))) {
                channel.close();
            }
        });
    }

    /** Ends the partition: nodes of the two groups may dial each other again. */
    public synchronized void heal() {
        cutOff = null;
    }

    private boolean cut(String a, String b) {
        Set<String> group = cutOff;
        return group != null && a != null && b != null && group.contains(a) != group.contains(b);
    }

    private String hostPort(SocketAddress address) {
        InetSocketAddress a = hostAndPort(address);
        return a == null ? null : a.getHostString() + ":" + a.getPort();
    }

    /**
     * The network as one node sees it: remembers the address the node bound, so that a
     * partition can refuse its dials to the other group.
     */
    private final class NodeView implements Network {
        private volatile String self;

        @Override
        public SocketAddress bindAddress(String host, int port) {
            SocketAddress bound = InMemoryNetwork.this.bindAddress(host, port);
            self = hostPort(bound);
            return bound;
        }

        @Override
        public SocketAddress dialAddress(String host, int port) {
            SocketAddress to = InMemoryNetwork.this.dialAddress(host, port);
            if (cut(self, host + ":" + port)) {
                throw new IllegalArgumentException(
                        "a partition of the in-memory network separates " + self + " from " + host + ":" + port);
            }
            return to;
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return InMemoryNetwork.this.ioHandlerFactory();
        }

        @Override
        public Class<? extends ServerChannel> serverChannelType() {
            return InMemoryNetwork.this.serverChannelType();
        }

        @Override
        public Class<? extends Channel> channelType() {
            return InMemoryNetwork.this.channelType();
        }

        @Override
        public boolean isTcp() {
            return false;
        }

        @Override
        public InetSocketAddress hostAndPort(SocketAddress address) {
            return InMemoryNetwork.this.hostAndPort(address);
        }

        @Override
        public String toString() {
            return InMemoryNetwork.this.toString();
        }
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return LocalIoHandler.newFactory();
    }

    @Override
    public Class<? extends ServerChannel> serverChannelType() {
        return LocalServerChannel.class;
    }

    @Override
    public Class<? extends Channel> channelType() {
        return LocalChannel.class;
    }

    @Override
    public boolean isTcp() {
        return false;
    }

    @Override
    public SocketAddress bindAddress(String host, int port) {
        checkHost(host);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        int bound = port != 0 ? port : FIRST_EPHEMERAL + Math.floorMod(ephemeral.getAndIncrement(), EPHEMERAL_PORTS);
        return new LocalAddress(prefix + host + ":" + bound);
    }

    @Override
    public SocketAddress dialAddress(String host, int port) {
        checkHost(host);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        return new LocalAddress(prefix + host + ":" + port);
    }

    @Override
    public InetSocketAddress hostAndPort(SocketAddress address) {
        if (!(address instanceof LocalAddress local) || !local.id().startsWith(prefix)) {
            return null; // the unbound end of a dialed channel
        }
        String hostPort = local.id().substring(prefix.length());
        int colon = hostPort.lastIndexOf(':');
        return InetSocketAddress.createUnresolved(
                hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /**
     * Hands every inbound event to the next handler in a task of its own, in order. A local
     * channel delivers a write inline when both ends share an event loop, so one node would
     * otherwise process a frame (and relay it, inline again) in the middle of another node's
     * send; over TCP a frame arrives in a later loop turn, and so it does here. Except
     * {@code channelInactive}: it comes right after the events still pending, inline, because
     * Netty removes the pipeline's handlers once a closed channel is deregistered, and an event
     * fired later would reach none of them (the node would keep a closed peer for good).
     * Runs on the channel's event loop only.
     */
    private final class LaterReads extends ChannelInboundHandlerAdapter {
        /** The node that dialed this channel, or null on the accepting side. */
        private final NodeView dialer;

        private final ArrayDeque<Runnable> pending = new ArrayDeque<>();

        LaterReads(NodeView dialer) {
            this.dialer = dialer;
        }

        /** Queues {@code event}; a task per event runs the oldest one still pending. */
        private void later(ChannelHandlerContext ctx, Runnable event) {
            pending.add(event);
            ctx.executor().execute(() -> {
                Runnable next = pending.poll();
                if (next != null) {
                    next.run();
                }
            });
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (dialer != null && cut(dialer.self, hostPort(ctx.channel().remoteAddress()))) {
                ctx.close(); // dialed just before a partition
                return;
            }
            later(ctx, ctx::fireChannelActive);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            later(ctx, () -> ctx.fireChannelRead(msg));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            later(ctx, ctx::fireChannelReadComplete);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            later(ctx, ctx::fireChannelWritabilityChanged);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            later(ctx, () -> ctx.fireUserEventTriggered(evt));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            later(ctx, () -> ctx.fireExceptionCaught(cause));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            for (Runnable next = pending.poll(); next != null; next = pending.poll()) {
                next.run();
            }
            ctx.fireChannelInactive();
        }
    }

    private static void checkHost(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("an in-memory address needs a host name");
        }
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            throw new IllegalArgumentException(
                    "an in-memory network has no wildcard address (" + host + "): bind the host name peers dial");
        }
    }

    @Override
    public String toString() {
        return "in-memory network " + prefix.substring(0, prefix.length() - 1);
    }
}
