package dev.jv2p.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;

/**
 * Turns binary WebSocket messages into the byte stream the node's frame decoder reads, and the
 * node's frames into binary messages.
 *
 * <p>Inbound, a message (its fragments added up) larger than the limit, a text message or a
 * frame the WebSocket decoder refuses (RSV bits of an extension, unmasked client frames) closes
 * the connection with one log line. Outbound, a frame longer than {@link #CHUNK} goes out as
 * several messages: js2p reads them into one stream, and its {@code nodejs-websocket} closes
 * with 1009 once it buffers more than 2 MiB of one message.
 */
final class WsFrames extends ChannelDuplexHandler {
    /** The largest message sent; well under nodejs-websocket's 2 MiB buffer. */
    static final int CHUNK = 1024 * 1024;

    private final int maxMessageLength;
    private long messageLength = -1; // bytes of the binary message being received, -1 between messages

    WsFrames(int maxMessageLength) {
        this.maxMessageLength = maxMessageLength;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame frame) {
            messageLength = 0;
            forward(ctx, frame.content(), frame.isFinalFragment(), msg);
        } else if (msg instanceof ContinuationWebSocketFrame frame && messageLength >= 0) {
            forward(ctx, frame.content(), frame.isFinalFragment(), msg);
        } else if (msg instanceof TextWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ReferenceCountUtil.release(msg);
            PeerFaults.close(ctx.channel(), "sent a text message; p2p.today over WebSocket is binary only");
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void forward(ChannelHandlerContext ctx, ByteBuf content, boolean last, Object frame) {
        messageLength += content.readableBytes();
        if (messageLength > maxMessageLength) {
            ReferenceCountUtil.release(frame);
            PeerFaults.close(
                    ctx.channel(), "sent a WebSocket message over the limit of " + maxMessageLength + " bytes");
            return;
        }
        if (last) {
            messageLength = -1;
        }
        ctx.fireChannelRead(content.retain());
        ReferenceCountUtil.release(frame);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        while (buf.readableBytes() > CHUNK) {
            ctx.write(new BinaryWebSocketFrame(buf.readRetainedSlice(CHUNK)), ctx.voidPromise());
        }
        ctx.write(new BinaryWebSocketFrame(buf), promise);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException || cause instanceof WebSocketHandshakeException) {
            PeerFaults.close(ctx.channel(), cause.getMessage());
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
