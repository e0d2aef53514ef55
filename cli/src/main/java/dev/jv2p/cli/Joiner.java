package dev.jv2p.cli;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.PeerEvents;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.PeerLink;
import dev.jv2p.mesh.internal.Backoff;
import java.time.Duration;

/**
 * Keeps the node joined to one {@code --join} peer for as long as the node runs: dials until
 * the peer answers, backing off between attempts, and dials again whenever the connection to
 * it is lost. Without the second part a partition longer than the keep-alive timeout, or a
 * restart of the peer, would split the mesh for good: no other node redials a dropped peer.
 *
 * <p>All state is confined to the node's event loop.
 */
final class Joiner implements PeerEvents {
    private final MeshSocket node;
    /** The node's event loop, where this joiner's state lives. */
    private final LayerContext loop;

    private final HostPort peer;
    private final Duration maxDelay;
    private final Backoff backoff;
    /** The id that answered at the peer's address, once it did. */
    private String peerId;

    private boolean dialing;
    private boolean retryScheduled;
    /** Whether the current streak of failures was reported (one line per streak, not per attempt). */
    private boolean failureReported;

    Joiner(MeshSocket node, HostPort peer, Duration firstDelay, Duration maxDelay) {
        this.node = node;
        this.loop = node.layerContext();
        this.peer = peer;
        this.maxDelay = maxDelay.compareTo(firstDelay) < 0 ? firstDelay : maxDelay;
        this.backoff = new Backoff(firstDelay, this.maxDelay);
    }

    void start() {
        loop.addPeerEvents(this);
        loop.execute(this::attempt);
    }

    @Override
    public void onPeerClosed(PeerLink link) {
        if (isThePeer(link) && !joined()) {
            System.err.println("jv2p: lost " + peer + "; rejoining");
            backoff.reset();
            retryLater();
        }
    }

    private void attempt() {
        retryScheduled = false;
        if (node.isClosed() || dialing || joined()) {
            return;
        }
        dialing = true;
        node.connect(peer.host(), peer.port()).whenComplete((info, err) -> {
            try {
                loop.execute(() -> dialed(info, err));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the node shut down meanwhile
            }
        });
    }

    private void dialed(PeerInfo info, Throwable err) {
        dialing = false;
        if (node.isClosed()) {
            return;
        }
        if (err == null) {
            peerId = info.id();
            backoff.reset();
            // Said every time, not only after a failure: someone who just typed --join wants to
            // know it worked before typing commands.
            System.err.println("jv2p: joined " + peer + " (node " + info.id() + ")");
            failureReported = false;
            return;
        }
        if (joined()) {
            return; // the peer dialed this node meanwhile: a duplicate was refused, not a failure
        }
        if (!failureReported) {
            Throwable cause = err.getCause() != null ? err.getCause() : err;
            System.err.println("jv2p: could not join " + peer + " (" + cause.getMessage()
                    + "); retrying with back-off up to " + maxDelay.toMillis() + " ms");
            failureReported = true;
        }
        retryLater();
    }

    private void retryLater() {
        if (retryScheduled || node.isClosed()) {
            return;
        }
        retryScheduled = true;
        try {
            loop.schedule(this::attempt, backoff.next());
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the node shut down meanwhile
        }
    }

    private boolean isThePeer(PeerLink link) {
        if (peerId != null && peerId.equals(link.id())) {
            return true;
        }
        PeerInfo info = link.info();
        return info != null && announces(info);
    }

    private boolean announces(PeerInfo p) {
        return peer.host().equals(p.advertisedHost()) && peer.port() == p.advertisedPort();
    }

    /** Connected to the peer: by the id that answered there, or by the address it announces. */
    private boolean joined() {
        if (peerId != null && node.routingTable().containsKey(peerId)) {
            return true;
        }
        for (PeerInfo p : node.routingTable().values()) {
            if (announces(p)) {
                return true;
            }
        }
        return false;
    }
}
