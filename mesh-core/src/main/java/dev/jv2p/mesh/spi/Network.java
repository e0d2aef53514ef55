package dev.jv2p.mesh.spi;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Where a node's channels live: the Netty channel types it listens and dials with, the I/O
 * handler its event loop needs for them, and how a p2p.today address (a host and a port, as
 * handshakes and peers lists carry them) becomes a Netty {@link SocketAddress} and back.
 *
 * <p>A {@link Transport} names its network with {@link Transport#network()}; nearly all use
 * {@link #tcp()}. Another network (for example {@code dev.jv2p.mesh.InMemoryNetwork}, Netty's
 * in-JVM local channels) lets many nodes run in one process without sockets. Implementations
 * are thread-safe.
 */
public interface Network {

    /** TCP over Java NIO, the network of p2p.today: what a transport uses unless it says otherwise. */
    static Network tcp() {
        return TcpNetwork.INSTANCE;
    }

    /**
     * The I/O handler of the event loops a node's channels are registered with. A node that
     * makes its own event loop uses it; a node given one ({@code MeshConfig.eventLoopGroup})
     * needs that group to be built with a compatible handler.
     */
    IoHandlerFactory ioHandlerFactory();

    /** The type of the channel a node listens on. */
    Class<? extends ServerChannel> serverChannelType();

    /** The type of the channels a node dials with. */
    Class<? extends Channel> channelType();

    /** Whether the channels are TCP sockets, which take socket options (no-delay, backlog). */
    boolean isTcp();

    /**
     * The address a node listening on {@code host}:{@code port} binds.
     *
     * @param port the port, or 0 for any free one
     */
    SocketAddress bindAddress(String host, int port);

    /** The address a node dials to reach the node listening on {@code host}:{@code port}. */
    SocketAddress dialAddress(String host, int port);

    /**
     * The host and port that {@code address} (a bound or a remote address of this network's
     * channels) stands for, or {@code null} if it stands for none (an unbound dialing end).
     */
    InetSocketAddress hostAndPort(SocketAddress address);
}
