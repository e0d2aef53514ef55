package dev.jv2p.mesh.spi;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** {@link Network#tcp()}: NIO sockets; hosts are resolved when a node binds or dials. */
final class TcpNetwork implements Network {
    static final TcpNetwork INSTANCE = new TcpNetwork();

    private TcpNetwork() {}

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return NioIoHandler.newFactory();
    }

    @Override
    public Class<? extends ServerChannel> serverChannelType() {
        return NioServerSocketChannel.class;
    }

    @Override
    public Class<? extends Channel> channelType() {
        return NioSocketChannel.class;
    }

    @Override
    public boolean isTcp() {
        return true;
    }

    @Override
    public SocketAddress bindAddress(String host, int port) {
        return new InetSocketAddress(host, port);
    }

    @Override
    public SocketAddress dialAddress(String host, int port) {
        return InetSocketAddress.createUnresolved(host, port); // Netty's resolver resolves it on the loop
    }

    @Override
    public InetSocketAddress hostAndPort(SocketAddress address) {
        return address instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public String toString() {
        return "tcp";
    }
}
