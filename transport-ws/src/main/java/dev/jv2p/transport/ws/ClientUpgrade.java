package dev.jv2p.transport.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * On a dialed connection, puts the TLS (for {@code wss}) and WebSocket client handlers in place
 * once the peer's address is known, then lets the upgrade start. Removes itself.
 */
final class ClientUpgrade extends ChannelInboundHandlerAdapter {
    private final WsOptions options;

    ClientUpgrade(WsOptions options) {
        this.options = options;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        String host = peer.getHostString();
        ChannelPipeline p = ctx.pipeline();
        String name = ctx.name();
        if (options.secure()) {
            p.addBefore(name, "tls", options.client().newHandler(ctx.alloc(), host, peer.getPort()));
        }
        p.addAfter(name, "ws", new WebSocketClientProtocolHandler(clientConfig(uri(host, peer.getPort()))));
        p.addAfter(name, "http-response", new HttpObjectAggregator(WsPipeline.MAX_REQUEST_LENGTH));
        p.addAfter(name, "http", new HttpClientCodec());
        ctx.fireChannelActive(); // reaches the WebSocket handler, which sends the upgrade request
        p.remove(this);
    }

    private URI uri(String host, int port) {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return URI.create((options.secure() ? "wss" : "ws") + "://" + h + ":" + port + "/");
    }

    private WebSocketClientProtocolConfig clientConfig(URI uri) {
        return WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .subprotocol(null)
                .allowExtensions(false)
                .performMasking(true)
                .maxFramePayloadLength(options.maxMessageLength())
                .handshakeTimeoutMillis(options.handshakeTimeout().toMillis())
                .dropPongFrames(true)
                .build();
    }
}
