package dev.jv2p.mesh.testkit;

import dev.jv2p.mesh.spi.Network;
import dev.jv2p.mesh.spi.NodeIdentity;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * One node's transport under a {@link NetworkEmulator}: the in-memory transport it wraps, with
 * an {@link EmulatedLink} first on every channel, and a network that tells the emulator the
 * address the node bound.
 */
final class EmulatedTransport implements Transport {
    private final NetworkEmulator emulator;
    private final String name;
    private final Transport inner;
    private final Network network;

    EmulatedTransport(NetworkEmulator emulator, String name, Transport inner) {
        this.emulator = emulator;
        this.name = name;
        this.inner = inner;
        Network n = inner.network();
        this.network = new Network() {
            @Override
            public IoHandlerFactory ioHandlerFactory() {
                return n.ioHandlerFactory();
            }

            @Override
            public Class<? extends ServerChannel> serverChannelType() {
                return n.serverChannelType();
            }

            @Override
            public Class<? extends Channel> channelType() {
                return n.channelType();
            }

            @Override
            public boolean isTcp() {
                return n.isTcp();
            }

            @Override
            public SocketAddress bindAddress(String host, int port) {
                if (!name.equals(host)) {
                    throw new IllegalArgumentException("the node named " + name + " binds host " + host
                            + ": under an emulator a node binds its name");
                }
                SocketAddress a = n.bindAddress(host, port);
                emulator.bound(name, a);
                return a;
            }

            @Override
            public SocketAddress dialAddress(String host, int port) {
                return n.dialAddress(host, port);
            }

            @Override
            public InetSocketAddress hostAndPort(SocketAddress address) {
                return n.hostAndPort(address);
            }
        };
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void initChannel(Channel channel, boolean client) throws Exception {
        inner.initChannel(channel, client);
        channel.pipeline().addFirst("emulated-link", new EmulatedLink(emulator, name));
    }

    @Override
    public Optional<NodeIdentity> identity() {
        return inner.identity();
    }

    @Override
    public String authenticatedPeerId(Channel channel) {
        return inner.authenticatedPeerId(channel);
    }

    @Override
    public Network network() {
        return network;
    }

    @Override
    public String toString() {
        return inner + " under " + emulator;
    }
}
