package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.NodeIdentity;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

/**
 * What a protocol layer built on a node (the synchronized dictionary of {@code sync-core}, or
 * a layer of a user's own) needs from it beyond the user API: the node's event loop and
 * callback thread, its peers' links, and the hooks that shape routing for the layer's
 * sub-flags. Take it from {@link MeshSocket#layerContext()}; users of the mesh alone never need it.
 *
 * <p><b>Threading.</b> Every method may be called from any thread. The layer's protocol state
 * belongs on the event loop: {@link #execute} runs a task there (inline when already on it);
 * handlers, {@link PeerEvents} and scheduled tasks run there and must not block.
 * {@link #peerLinks()} is meant for the event loop, where the routing table does not change
 * under the caller.
 */
public interface LayerContext {

    /** This node's id. */
    String id();

    /** The node's key-bound identity, when its transport has one ({@code TLS}); a layer signs with it. */
    Optional<NodeIdentity> identity();

    /** The configuration the node was started with. */
    MeshConfig config();

    /** The protocol id sent in handshakes. */
    String protocolId();

    /** The current time of the node's clock, in seconds. */
    long now();

    /**
     * The node's monotonic clock in nanoseconds from an arbitrary origin: the ticker of its
     * event loop, by which {@link #schedule} and {@link #scheduleAtFixedRate} run too, so a
     * layer that measures time with it stays in step with its timers (in virtual time as well).
     */
    long nanoTime();

    /** The largest frame body the node sends or accepts: a layer sizes its batches below it. */
    int maxFrameLength();

    /** Whether the node was closed. */
    boolean isClosed();

    /** Whether the caller runs on the node's event loop. */
    boolean inEventLoop();

    /** Runs {@code task} on the node's event loop (inline if already there). */
    void execute(Runnable task);

    /** Queues {@code task} on the node's event loop, never inline: lets long work yield to I/O. */
    void executeLater(Runnable task);

    /** Runs {@code task} on the node's event loop after {@code delay}. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay);

    /** Runs {@code task} on the node's event loop every {@code period}, until the node closes. */
    ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period);

    /** Runs {@code task} on the node's callback thread, after every listener event queued before it. */
    void runOnCallbackThread(Runnable task);

    /** Links to every peer in the routing table. */
    List<PeerLink> peerLinks();

    /**
     * Sends {@code [flag, id, timeSeconds, type, packets...]} to every peer, stamped with the
     * time the layer chose (the synchronized dictionary's metadata carries it); as {@link
     * MeshSocket#send(List, int, int, long)}.
     */
    void send(List<?> packets, int flag, int type, long timeSeconds);

    /** Adds a privileged handler (see {@link MessageHandler}); as {@link MeshSocket#registerHandler}. */
    Registration registerHandler(MessageHandler handler);

    /** Adds connection life-cycle callbacks (see {@link PeerEvents}). */
    Registration addPeerEvents(PeerEvents events);

    /**
     * Declares {@code subFlag} whisper-only: a message of it that arrives under the broadcast
     * flag is dropped, neither relayed nor handed to any handler. A protocol layer declares
     * the sub-flags that make a node do work for their sender (send its state, compare
     * digests, start a transfer): broadcast, one such message would make every node of the
     * mesh do that work for whichever neighbour relayed it.
     *
     * @throws IllegalArgumentException if {@code subFlag} is one of p2p.today's own, which a
     *     layer cannot restrict (below {@link dev.jv2p.mesh.spi.Flags#LAYER_EXTENSION_BASE})
     */
    Registration registerWhisperOnly(int subFlag);

    /**
     * Says how messages of a jv2p-only sub-flag reach peers that do not (yet) speak it: sent
     * or relayed to a peer not known as jv2p, a message of {@code subFlag} is replaced by the
     * messages {@code expand} makes of its packets (sub-flag first), each sent with the same
     * main flag, sender and time. A protocol layer uses this for a compact form among jv2p
     * nodes whose meaning js2p nodes must still receive. {@code expand} runs on the event
     * loop and must be deterministic, so that every node expanding one message sends the same
     * bytes, which duplicate suppression then recognises. In a mesh whose transport
     * authenticates peers every peer is a jv2p node, so nothing is expanded there.
     */
    Registration registerFallback(int subFlag, Function<List<Object>, List<List<Object>>> expand);
}
