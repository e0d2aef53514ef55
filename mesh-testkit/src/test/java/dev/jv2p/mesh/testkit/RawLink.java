package dev.jv2p.mesh.testkit;

import dev.jv2p.codec.msgpack.MsgpackCodec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Flags;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.SocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One end of an in-memory connection that a test drives by hand, on the virtual loop: sends
 * packet lists as p2p.today frames (uncompressed, msgpack), keeps those it receives, and notes
 * when the node closes the connection. Read it from the test thread once the loop is idle.
 */
final class RawLink extends SimpleChannelInboundHandler<ByteBuf> {
    private static final MsgpackCodec CODEC = new MsgpackCodec();
    private static final int CHECKSUM = 32;

    private final Queue<List<Object>> received = new ConcurrentLinkedQueue<>();
    /** The checksum of each frame in {@link #received}, in the same order. */
    private final Queue<byte[]> checksums = new ConcurrentLinkedQueue<>();

    private volatile Channel channel;
    private volatile boolean closed;
    private long requests;

    /** Dials the node listening at {@code host:port} of {@code mesh}'s network. */
    static RawLink dial(TestMesh mesh, String host, int port) {
        RawLink link = new RawLink();
        new Bootstrap()
                .group(mesh.time().group())
                .channel(LocalChannel.class)
                .handler(link.initializer())
                .connect(mesh.network().network().dialAddress(host, port))
                .syncUninterruptibly();
        return link;
    }

    /**
     * Listens as {@code host} on {@code mesh}'s network; {@code accepted} gets the link of each
     * connection made to it. Returns the listening channel (close it when done).
     */
    static Channel listen(TestMesh mesh, String host, Queue<RawLink> accepted) {
        SocketAddress at = mesh.network().network().bindAddress(host, 0);
        return new ServerBootstrap()
                .group(mesh.time().group())
                .channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        RawLink link = new RawLink();
                        ch.pipeline().addLast(link.initializer());
                        accepted.add(link);
                    }
                })
                .bind(at)
                .syncUninterruptibly()
                .channel();
    }

    private ChannelInitializer<Channel> initializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                channel = ch;
                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4), RawLink.this);
            }
        };
    }

    /** Sends a handshake as {@code id} under {@code protocolId}, advertising {@code host:port}. */
    void handshake(String id, String protocolId, String host, int port) {
        send(List.of(
                (long) Flags.WHISPER,
                id,
                nowSeconds(),
                (long) Flags.HANDSHAKE,
                id,
                protocolId,
                List.of(host, (long) port),
                List.of()));
    }

    /** Asks the node at {@code nodeId} for its address under a new request id; returns the id. */
    String request(String id, String nodeId) {
        String requestId = id + "/" + ++requests;
        send(List.of((long) Flags.WHISPER, id, nowSeconds(), (long) Flags.REQUEST, requestId, nodeId));
        return requestId;
    }

    /** Whether the node answered the request {@code requestId}. */
    boolean answered(String requestId) {
        return received.stream()
                .anyMatch(l ->
                        l.size() >= 5 && Long.valueOf(Flags.RESPONSE).equals(l.get(3)) && requestId.equals(l.get(4)));
    }

    /** Whispers {@code packets} (sub-flag first) as {@code id}. */
    void whisper(String id, Object... packets) {
        List<Object> frame = new ArrayList<>(List.of((long) Flags.WHISPER, id, nowSeconds()));
        frame.addAll(Arrays.asList(packets));
        send(frame);
    }

    /** The packet lists received so far (main flag, sender, time, then the payload). */
    List<List<Object>> received() {
        return List.copyOf(received);
    }

    /** The checksums of the frames received so far, in order. */
    List<byte[]> checksums() {
        return List.copyOf(checksums);
    }

    /** The checksum {@link #send} puts in front of {@code packets}: its first 16 bytes are the broadcast's id. */
    static byte[] checksum(List<?> packets) {
        return sha256(CODEC.encode(packets));
    }

    /** Sends one packet list as a frame. */
    void send(List<?> packets) {
        byte[] payload = CODEC.encode(packets);
        ByteBuf frame = Unpooled.buffer(4 + CHECKSUM + payload.length);
        frame.writeInt(CHECKSUM + payload.length).writeBytes(sha256(payload)).writeBytes(payload);
        channel.writeAndFlush(frame);
    }

    boolean isOpen() {
        return !closed;
    }

    void close() {
        channel.close().syncUninterruptibly();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) throws CodecException {
        byte[] body = ByteBufUtil.getBytes(frame);
        checksums.add(Arrays.copyOf(body, CHECKSUM));
        received.add(CODEC.decode(Arrays.copyOfRange(body, CHECKSUM, body.length), DecodeLimits.DEFAULT));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        ctx.fireChannelInactive();
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
