/** The {@code ws} and {@code wss} (WebSocket) transports, {@link dev.jv2p.mesh.spi.Transport} providers. */
module dev.jv2p.transport.ws {
    requires transitive dev.jv2p.mesh;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.handler;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports dev.jv2p.transport.ws;

    provides dev.jv2p.mesh.spi.Transport with
            dev.jv2p.transport.ws.WsTransport,
            dev.jv2p.transport.ws.WssTransport;
}
