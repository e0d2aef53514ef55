package dev.jv2p.mesh;

import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.spi.NodeIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A node's {@link LayerContext}: its router, event loop and callback thread. */
final class NodeLayerContext implements LayerContext {
    private final MeshSocket socket;
    private final Router router;
    private final Inbox inbox;

    NodeLayerContext(MeshSocket socket, Router router, Inbox inbox) {
        this.socket = socket;
        this.router = router;
        this.inbox = inbox;
    }

    @Override
    public String id() {
        return socket.id();
    }

    @Override
    public Optional<NodeIdentity> identity() {
        return socket.identity();
    }

    @Override
    public MeshConfig config() {
        return router.config;
    }

    @Override
    public String protocolId() {
        return router.protocolId;
    }

    @Override
    public long now() {
        return router.now();
    }

    @Override
    public int maxFrameLength() {
        return router.config.maxFrameLength();
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public boolean inEventLoop() {
        return router.loop.inEventLoop();
    }

    @Override
    public long nanoTime() {
        return MonotonicTime.nanos(router.loop);
    }

    @Override
    public void execute(Runnable task) {
        router.onLoop(task);
    }

    @Override
    public void executeLater(Runnable task) {
        router.loop.execute(task);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return router.loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
        return router.loop.scheduleAtFixedRate(task, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void runOnCallbackThread(Runnable task) {
        inbox.runOnCallbackThread(task);
    }

    @Override
    public List<PeerLink> peerLinks() {
        return new ArrayList<>(router.table.values());
    }

    @Override
    public void send(List<?> packets, int flag, int type, long timeSeconds) {
        socket.send(packets, flag, type, timeSeconds);
    }

    @Override
    public Registration registerHandler(MessageHandler handler) {
        return socket.registerHandler(handler);
    }

    @Override
    public Registration addPeerEvents(PeerEvents events) {
        router.peerEvents.add(events);
        return () -> router.peerEvents.remove(events);
    }

    @Override
    public Registration registerWhisperOnly(int subFlag) {
        if (subFlag < Flags.LAYER_EXTENSION_BASE || subFlag > 0xff) {
            throw new IllegalArgumentException(
                    "only a layer's own sub-flags (0x" + Integer.toHexString(Flags.LAYER_EXTENSION_BASE)
                            + "-0xff) can be declared whisper-only, not " + subFlag);
        }
        router.whisperOnly.add(subFlag);
        return () -> router.whisperOnly.remove(subFlag);
    }

    @Override
    public Registration registerFallback(int subFlag, Function<List<Object>, List<List<Object>>> expand) {
        router.relay.fallbacks.put(subFlag, expand);
        return () -> router.relay.fallbacks.remove(subFlag, expand);
    }
}
