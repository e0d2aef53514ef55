package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.wire.FrameException;
import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.spi.Network;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Clock;
import java.util.List;

/** A connection on an {@link EmbeddedChannel}, for testing the inbound stages one by one. */
final class EmbeddedLink {
    static final TaggedTestCodec CODEC = new TaggedTestCodec();

    final EmbeddedChannel channel = new EmbeddedChannel();
    final MeshCounters counters = new MeshCounters();
    final MessageEncoder encoder = new MessageEncoder(CODEC, Clock.systemUTC());
    final Connection connection;

    EmbeddedLink(MeshConfig config) {
        encoder.identify("self");
        connection = new Connection(channel, false, null, config, counters, encoder, Network.tcp());
    }

    EmbeddedLink() {
        this(MeshConfig.builder().build());
    }

    /** Adds a stage built for this link's connection. */
    EmbeddedLink with(java.util.function.Function<Connection, ChannelHandler> stage) {
        channel.pipeline().addLast(stage.apply(connection));
        return this;
    }

    /** The verified block of an uncompressed body carrying {@code list}. */
    static Frames.Block block(List<?> list) throws FrameException {
        return Frames.open(Frames.block(CODEC.encode(list)), List.of(), 1 << 20);
    }
}
