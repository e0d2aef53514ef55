package dev.jv2p.cli;

import dev.jv2p.mesh.MeshSocket;
import java.time.Duration;

/** Dials a peer until it answers, backing off between attempts, while the node runs. */
final class Joiner {
    private final MeshSocket node;
    private final HostPort peer;
    private final Duration maxDelay;
    private Duration delay;

    Joiner(MeshSocket node, HostPort peer, Duration firstDelay, Duration maxDelay) {
        this.node = node;
        this.peer = peer;
        this.delay = firstDelay;
        this.maxDelay = maxDelay;
    }

    void start() {
        attempt();
    }

    private void attempt() {
        if (node.isClosed()) {
            return;
        }
        node.connect(peer.host(), peer.port()).whenComplete((info, err) -> {
            if (err == null || node.isClosed()) {
                return;
            }
            Throwable cause = err.getCause() != null ? err.getCause() : err;
            System.err.println("jv2p: could not join " + peer + " (" + cause.getMessage() + "); retrying in "
                    + delay.toMillis() + " ms");
            Duration wait = delay;
            delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
            try {
                node.schedule(this::attempt, wait);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the node shut down meanwhile
            }
        });
    }
}
