package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.wire.FrameException;
import dev.jv2p.mesh.internal.wire.Frames;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;
import java.util.function.Consumer;

/**
 * Opens a frame body into a verified block (decompressed, checksum checked), after dropping a
 * copy of a broadcast already seen before it costs a hash or a decompression.
 */
final class FrameOpener extends MessageToMessageDecoder<byte[]> {
    private final Connection connection;
    private final SeenCache seen;
    private final MeshCounters counters;
    private final int maxFrameLength;
    /** Told of each copy dropped here, with its body (the broadcast tree prunes a link). */
    private final Consumer<byte[]> onDuplicate;

    FrameOpener(
            Connection connection,
            SeenCache seen,
            MeshCounters counters,
            int maxFrameLength,
            Consumer<byte[]> onDuplicate) {
        super(byte[].class);
        this.connection = connection;
        this.seen = seen;
        this.counters = counters;
        this.maxFrameLength = maxFrameLength;
        this.onDuplicate = onDuplicate;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, byte[] body, List<Object> out) {
        if (connection.isHandshaken()
                && connection.receiveMethods().isEmpty()
                && body.length >= Frames.CHECKSUM_LENGTH
                && seen.contains(body, 0)) {
            // An uncompressed body starts with the checksum of its payload, which covers the
            // time too: a copy of a broadcast already seen is dropped before it is hashed and
            // decoded, which is most of what a relayed copy would cost. A forged body that
            // carries a seen checksum is dropped as well, which costs nobody anything.
            counters.duplicateDropped();
            onDuplicate.accept(body);
            return;
        }
        try {
            out.add(Frames.open(body, connection.receiveMethods(), maxFrameLength));
        } catch (FrameException e) {
            throw new PeerFaultException("bad frame: " + e.getMessage(), true);
        }
    }
}
