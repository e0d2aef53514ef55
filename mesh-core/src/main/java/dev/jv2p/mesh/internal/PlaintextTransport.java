package dev.jv2p.mesh.internal;

import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.Channel;

/** Plain TCP, p2p.today's {@code Plaintext}: frames go on the socket as they are. */
public final class PlaintextTransport implements Transport {
    @Override
    public String name() {
        return "Plaintext"; // Protocol.PLAINTEXT, written out so that internal needs nothing of dev.jv2p.mesh
    }

    @Override
    public void initChannel(Channel channel, boolean client) {
        // Nothing to add: framing handlers work directly on the socket.
    }
}
