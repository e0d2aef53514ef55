package dev.jv2p.transport.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Refuses upgrade requests this transport does not speak before Netty's handshaker sees them:
 * malformed requests and requests for a subprotocol (p2p.today names none, and Netty would
 * otherwise answer without one, leaving the peer to fail later). Extension offers such as a
 * browser's permessage-deflate are answered by accepting none; a frame that uses one anyway
 * is a protocol error. Removes itself after the first request.
 */
final class RequestCheck extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String refusal = refusal(request);
        if (refusal == null) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.BAD_REQUEST,
                Unpooled.copiedBuffer(refusal + "\n", StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        PeerFaults.log(ctx.channel(), refusal);
    }

    private static String refusal(FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            return "sent a malformed upgrade request ("
                    + request.decoderResult().cause() + ")";
        }
        String subprotocol = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (subprotocol != null) {
            return "asked for WebSocket subprotocol '" + subprotocol + "'; p2p.today over WebSocket uses none";
        }
        return null;
    }
}
