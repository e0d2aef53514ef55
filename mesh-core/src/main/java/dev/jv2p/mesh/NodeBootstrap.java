package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Network;
import dev.jv2p.mesh.spi.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's threads and sockets: its event loop (from a caller's group, or a group of its own),
 * its callback executor, the listening socket, and the pipeline every connection gets, in or
 * out. It shuts down only the threads it created.
 */
final class NodeBootstrap {
    /** Logs as {@link MeshSocket}, as before the split: operators filter on that name. */
    private static final Logger LOG = LoggerFactory.getLogger(MeshSocket.class);

    private static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf(MeshSocket.class, "connection");

    private final MeshConfig config;
    private final Transport transport;
    private final Network network;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventLoop loop;
    private final Executor callbacks;
    private final ExecutorService ownedCallbacks;
    private Router router;
    private Channel serverChannel;

    NodeBootstrap(MeshConfig config, Transport transport, Network network) {
        this.config = config;
        this.transport = transport;
        this.network = network;
        this.ownsGroup = config.eventLoopGroup() == null;
        this.group =
                ownsGroup ? new MultiThreadIoEventLoopGroup(1, network.ioHandlerFactory()) : config.eventLoopGroup();
        this.loop = group.next();
        if (config.callbackExecutor() == null) {
            ownedCallbacks = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "jv2p-callbacks");
                t.setDaemon(true);
                return t;
            });
            callbacks = ownedCallbacks;
        } else {
            ownedCallbacks = null;
            callbacks = new SerialExecutor(config.callbackExecutor());
        }
    }

    /** The node's event loop. */
    EventLoop loop() {
        return loop;
    }

    /** Where listeners run: one task at a time, in submission order. */
    Executor callbacks() {
        return callbacks;
    }

    /**
     * Binds the listening socket; connections are handed to {@code router}. On failure the
     * threads this node started are stopped.
     *
     * @return the address actually bound, as the network names it
     */
    InetSocketAddress listen(Router router) {
        this.router = router;
        try {
            ServerBootstrap server = new ServerBootstrap()
                    .group(loop, loop)
                    .channel(network.serverChannelType())
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(config))
                    .childHandler(initializer(false, null));
            if (network.isTcp()) {
                server.option(ChannelOption.SO_BACKLOG, config.listenBacklog())
                        .childOption(ChannelOption.TCP_NODELAY, true);
            }
            this.serverChannel = server.bind(network.bindAddress(config.bindHost(), config.port()))
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            shutdownThreads();
            throw new MeshException(
                    "cannot listen on " + config.bindHost() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        return network.hostAndPort(serverChannel.localAddress());
    }

    private ChannelInitializer<Channel> initializer(boolean outgoing, String expectedId) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) throws Exception {
                // Up to maxPeers inbound links are taken; the next MAX_REFERRALS only until their
                // handshake, to send them the peers list (Router.onActive); beyond, refused.
                if (!outgoing && router.connections.size() >= config.maxPeers() + Router.MAX_REFERRALS) {
                    LOG.info(
                            "refusing a connection from {}: already {} peers and {} referrals",
                            ch.remoteAddress(),
                            config.maxPeers(),
                            Router.MAX_REFERRALS);
                    ch.close();
                    return;
                }
                transport.initChannel(ch, outgoing);
                FrameDecoder decoder = new FrameDecoder(config.maxFrameLength());
                Connection c = router.newConnection(ch, outgoing, expectedId, network);
                ch.attr(CONNECTION).set(c);
                ch.pipeline().addLast("flush", new FlushConsolidationHandler(256, true));
                ch.pipeline().addLast("frames", decoder);
                ch.pipeline()
                        .addLast(
                                "idle",
                                new IdleStateHandler(config.frameTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                router.addInboundStages(ch.pipeline(), c, decoder);
            }
        };
    }

    /** Dials {@code host:port}; completes when the handshake is accepted. */
    CompletableFuture<PeerInfo> dial(String host, int port, String expectedId) {
        CompletableFuture<PeerInfo> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(network.channelType())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(config))
                .handler(initializer(true, expectedId));
        if (network.isTcp()) {
            b.option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                    config.handshakeTimeout().toMillis());
        }
        ChannelFuture f;
        try {
            f = b.connect(network.dialAddress(host, port));
        } catch (RuntimeException e) { // an address the network cannot express
            result.completeExceptionally(
                    new HandshakeException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e));
            return result;
        }
        f.addListener(done -> {
            if (!done.isSuccess()) {
                result.completeExceptionally(new HandshakeException(
                        "cannot connect to " + host + ":" + port + ": "
                                + done.cause().getMessage(),
                        done.cause()));
                return;
            }
            if (connectionOf(f.channel()) == null) {
                result.completeExceptionally(
                        new HandshakeException("connection to " + host + ":" + port + " was refused locally"));
                return;
            }
            connectionOf(f.channel()).ready().whenComplete((info, err) -> {
                if (err != null) {
                    result.completeExceptionally(err);
                } else {
                    result.complete(info);
                }
            });
        });
        return result;
    }

    /** High at half the queue limit, low at a quarter: bulk senders pause well before a disconnect. */
    private static WriteBufferWaterMark waterMark(MeshConfig config) {
        int limit = config.maxQueuedBytesPerPeer();
        return new WriteBufferWaterMark(limit / 4, limit / 2);
    }

    private static Connection connectionOf(Channel ch) {
        return ch.attr(CONNECTION).get();
    }

    /** Closes the listening socket; call on the event loop. */
    void closeServer(CompletableFuture<Void> done) {
        serverChannel.close().addListener(f -> done.complete(null));
    }

    /** Stops the threads this node started; waits for them unless called on the event loop. */
    void shutdownThreads() {
        if (ownsGroup) {
            io.netty.util.concurrent.Future<?> f = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            if (!loop.inEventLoop()) {
                f.syncUninterruptibly();
            }
        }
        if (ownedCallbacks != null) {
            ownedCallbacks.shutdown();
        }
    }
}
