package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Flags;
import java.util.ArrayList;
import java.util.List;

/**
 * Pings jv2p peers and drops those silent past the keep-alive timeout; js2p peers never
 * answer pings, so they are only greeted again. Runs on the node's event loop.
 */
final class KeepAlive implements Runnable {
    private final Router router;

    KeepAlive(Router router) {
        this.router = router;
    }

    @Override
    public void run() {
        assert router.loop.inEventLoop();
        long timeoutNanos = router.config.keepAliveTimeout().toNanos();
        long nowNanos = MonotonicTime.nanos(router.loop);
        for (Connection c : new ArrayList<>(router.table.values())) {
            if (!c.isJv2p() && c.isOutgoing() && c.messagesIn() < 2 && c.sinceHandshakeNanos(nowNanos) > timeoutNanos) {
                // The listening side of a connection, js2p or jv2p, follows its first handshake
                // with a second one and a peers list (spec §9.2). Nothing after it means the
                // peer dropped the connection right away (as a duplicate, say) and its close
                // was lost in a network cut: without this, such a connection would never be
                // dropped, since a peer not known as jv2p may stay silent for good.
                c.closeAsLost("the peer never followed its handshake with a peers list");
                continue;
            }
            if (!c.isJv2p()) {
                // Not (yet) known as jv2p: say hello again. js2p drops the unknown whisper
                // silently, so this costs it nothing; a jv2p peer whose first hello was lost
                // (a network cut right after the handshake) is recognised and kept alive; and
                // writing on a connection the peer has long dropped makes its host answer with
                // a reset once the network heals, so the dead entry leaves the routing table.
                c.sendNow(Flags.WHISPER, router.handshaker.hello());
                continue;
            }
            if (c.silentNanos(nowNanos) > timeoutNanos) {
                c.closeAsLost("silent for longer than the keep-alive timeout");
            } else {
                c.sendNow(Flags.PING, List.of((long) Flags.JV2P_PING));
            }
        }
    }
}
