package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.spi.Values;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a block's payload into a {@link Message} and parses the mesh's own messages into
 * records ({@link MeshMessages}), so that the router acts on typed input only. Drops what a
 * peer sends before its handshake.
 */
final class PacketDecoder extends MessageToMessageDecoder<Frames.Block> {
    private static final Logger LOG = LoggerFactory.getLogger(PacketDecoder.class);

    private final Connection connection;
    private final Codec codec;
    private final DecodeLimits limits;
    /** This node's protocol, named in the reason a peer speaking another is disconnected for. */
    private final String protocol;

    private final MeshSocket socket;

    PacketDecoder(Connection connection, Codec codec, DecodeLimits limits, String protocol, MeshSocket socket) {
        super(Frames.Block.class);
        this.connection = connection;
        this.codec = codec;
        this.limits = limits;
        this.protocol = protocol;
        this.socket = socket;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Frames.Block block, List<Object> out) {
        List<Object> list;
        try {
            list = codec.decode(block.payload(), limits);
        } catch (CodecException e) {
            if (!connection.isHandshaken()) {
                // A peer that has not handshaken has claimed no protocol yet, and a body this
                // codec cannot read is most likely another codec's handshake: the same
                // mismatch as another protocol id, not an attack.
                throw new PeerFaultException(
                        "protocol mismatch: a frame before the peer's handshake is not a "
                                + codec.name() + " body, so it uses another codec or is no p2p.today node; this node "
                                + protocol + ": " + e.getMessage(),
                        false);
            }
            throw new PeerFaultException("malformed body: " + e.getMessage(), true);
        }
        Message m = toMessage(block, list);
        if (!connection.isHandshaken() && m.subFlag() != Flags.HANDSHAKE) {
            // js2p processes frames before the handshake (spec §9.3); jv2p drops them, since a
            // peer that has not said who it is cannot be routed to or held to a protocol.
            LOG.debug("{} sent a message before its handshake; dropped", connection);
            return;
        }
        MeshMessages.MeshMessage parsed = null;
        RuntimeException refusal = null;
        try {
            parsed = MeshMessages.parse(m.mainFlag(), m.packets());
        } catch (IllegalArgumentException | ProtocolViolationException e) {
            refusal = e;
        }
        out.add(new Inbound(m, block, parsed, refusal));
    }

    private Message toMessage(Frames.Block block, List<Object> list) {
        if (list.size() < 3
                || !(list.get(0) instanceof Long flag)
                || flag < 0
                || flag > Flags.PONG
                || !(list.get(1) instanceof String sender)
                || !(list.get(2) instanceof Number time)) {
            throw new PeerFaultException("malformed packet list: " + Router.abbreviate(Values.toString(list)), true);
        }
        List<Object> packets = Collections.unmodifiableList(new ArrayList<>(list.subList(3, list.size())));
        long seconds = time instanceof Double d ? (long) Math.floor(d) : time.longValue();
        return new Message((int) (long) flag, sender, seconds, packets, block.checksum(), connection, socket);
    }
}
