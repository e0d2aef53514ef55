package dev.jv2p.transport.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Builds the handlers that carry p2p.today frames in binary WebSocket messages. They come
 * before the node's own framing handlers, which then see the same byte stream as over TCP.
 */
final class WsPipeline {
    /** An upgrade request is a GET with headers only: nothing larger is buffered before the upgrade. */
    static final int MAX_REQUEST_LENGTH = 8192;

    private WsPipeline() {}

    static void init(Channel channel, boolean client, WsOptions options) {
        ChannelPipeline p = channel.pipeline();
        if (client) {
            // The URI (Host header, TLS server name) is known only once connected.
            p.addLast("ws-dial", new ClientUpgrade(options));
        } else {
            if (options.secure()) {
                p.addLast("tls", options.server().newHandler(channel.alloc()));
            }
            p.addLast("http", new HttpServerCodec());
            p.addLast("http-request", new HttpObjectAggregator(MAX_REQUEST_LENGTH));
            p.addLast("ws-request", new RequestCheck());
            p.addLast("ws", new WebSocketServerProtocolHandler(serverConfig(options)));
        }
        p.addLast("ws-frames", new WsFrames(options.maxMessageLength()));
        p.addLast("ws-gate", new UpgradeGate(options.handshakeTimeout()));
    }

    private static WebSocketServerProtocolConfig serverConfig(WsOptions options) {
        return WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true) // any path: js2p dials "/", a page may add a query
                .subprotocols(null)
                .handshakeTimeoutMillis(options.handshakeTimeout().toMillis())
                .dropPongFrames(true)
                .decoderConfig(decoderConfig(options.maxMessageLength(), true))
                .build();
    }

    static WebSocketDecoderConfig decoderConfig(int maxMessageLength, boolean server) {
        return WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxMessageLength)
                .expectMaskedFrames(server)
                .allowMaskMismatch(false)
                .allowExtensions(false) // RSV bits (permessage-deflate) are a protocol error
                .closeOnProtocolViolation(true)
                .build();
    }
}
