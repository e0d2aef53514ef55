package dev.jv2p.mesh.testkit;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Starts named nodes on one {@link NetworkEmulator}, joins them, and closes them all: the node
 * factory of mesh tests. {@link #virtual()} puts every node on one {@link VirtualTime}, so
 * timers run only when the test {@linkplain VirtualTime#advance moves the clock}; {@link
 * #realTime()} runs them on a group of four event loops, shared by all nodes and shut down after
 * them (a node with a group of its own would stop its loop while its peers' channels still
 * close towards it), with the system clock. {@link #loopback()} puts the nodes on real TCP sockets
 * of {@code 127.0.0.1}, each node on an event loop of its own as in production, for tests that
 * are about sockets or speak to a node through a socket of their own (hostile peers, transports).
 *
 * <p>A node is named by the host it binds (in a loopback mesh every node binds {@code
 * 127.0.0.1}, and the name only tells nodes apart in the test); {@link #config(String)} gives a
 * builder with the name, port 0, the emulator's transport and (in virtual time) the virtual
 * loop set, for layers that build their own nodes ({@code SyncConfig.builder().mesh(...)}); {@link #track}
 * then closes such a node with the others. Methods are called from the test thread.
 */
public final class TestMesh implements AutoCloseable {
    /** How long {@link #joinAndAwait} waits in real time (virtual time does not move meanwhile). */
    private static final Duration JOIN_LIMIT = Duration.ofSeconds(10);

    /** The host loopback nodes bind and are dialed at. */
    private static final String LOOPBACK = "127.0.0.1";

    /** The emulated network; null for a loopback mesh. */
    private final NetworkEmulator network;

    private final VirtualTime time;
    /** The nodes' loops in real time; null in virtual time and for a loopback mesh. */
    private final EventLoopGroup group;

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    private TestMesh(VirtualTime time, boolean emulated) {
        this.network = emulated ? new NetworkEmulator() : null;
        this.time = time;
        this.group = time == null && emulated ? new MultiThreadIoEventLoopGroup(4, LocalIoHandler.newFactory()) : null;
    }

    /** Nodes in virtual time: one clock and one event loop for all of them. */
    public static TestMesh virtual() {
        return new TestMesh(new VirtualTime(), true);
    }

    /** Nodes in real time, on four event loops. */
    public static TestMesh realTime() {
        return new TestMesh(null, true);
    }

    /**
     * Nodes in real time on TCP sockets of {@code 127.0.0.1} at ports the OS chooses, each with
     * an event loop of its own; a node's name only tells it apart in the test.
     */
    public static TestMesh loopback() {
        return new TestMesh(null, false);
    }

    /**
     * The emulated network the nodes are on.
     *
     * @throws IllegalStateException for a {@link #loopback()} mesh
     */
    public NetworkEmulator network() {
        if (network == null) {
            throw new IllegalStateException("a loopback test mesh has no emulated network");
        }
        return network;
    }

    /**
     * The clock of the nodes.
     *
     * @throws IllegalStateException for a {@link #realTime()} mesh
     */
    public VirtualTime time() {
        if (time == null) {
            throw new IllegalStateException("a real-time test mesh has no virtual clock");
        }
        return time;
    }

    /** A builder for the node named {@code name}, on this mesh's network (and clock). */
    public MeshConfig.Builder config(String name) {
        if (network == null) {
            return MeshConfig.builder().bindHost(LOOPBACK).port(0);
        }
        return onNetwork(name, network.transport(name));
    }

    /**
     * A builder for the node named {@code name} whose channels go through {@code transport} (TLS,
     * say): over this mesh's emulated network ({@code InMemoryNetwork.over}), or over TCP for a
     * {@link #loopback()} mesh.
     */
    public MeshConfig.Builder config(String name, Transport transport) {
        Objects.requireNonNull(transport, "transport");
        if (network == null) {
            return config(name).transport(transport);
        }
        return onNetwork(name, network.transport(name, network.network().over(transport)));
    }

    private MeshConfig.Builder onNetwork(String name, Transport transport) {
        MeshConfig.Builder b = MeshConfig.builder().bindHost(name).port(0).transport(transport);
        return b.eventLoopGroup(time == null ? group : time.group());
    }

    /** Starts the node named {@code name} with the defaults of {@link #config}. */
    public MeshSocket start(String name) {
        return start(name, b -> b);
    }

    /** Starts the node named {@code name}, its configuration changed by {@code custom}. */
    public MeshSocket start(String name, UnaryOperator<MeshConfig.Builder> custom) {
        return track(MeshSocket.start(custom.apply(config(name)).build()));
    }

    /** Closes {@code node} with this mesh; returns it. Nodes close in the reverse order of tracking. */
    public <T extends AutoCloseable> T track(T node) {
        open.push(Objects.requireNonNull(node, "node"));
        return node;
    }

    /**
     * Connects {@code from} to {@code to} and waits until each holds the other in its routing
     * table (in virtual time without moving the clock).
     *
     * @throws AssertionError if they do not within 10 s of real time
     */
    public void joinAndAwait(MeshSocket from, MeshSocket to) {
        CompletableFuture<PeerInfo> dialed = from.connect(
                to.localAddress().getHostString(), to.localAddress().getPort());
        awaitCondition(
                () -> {
                    if (dialed.isCompletedExceptionally()) {
                        Throwable cause = dialed.handle((info, e) -> e).join();
                        throw new AssertionError(from + " could not dial " + to, cause);
                    }
                    return from.routingTable().containsKey(to.id())
                            && to.routingTable().containsKey(from.id());
                },
                from + " and " + to + " did not join");
    }

    /**
     * Waits until {@code condition} holds without moving virtual time: runs the nodes until
     * idle (virtual) or polls (real time), for at most 10 s of real time.
     *
     * @throws AssertionError with {@code failure} if it does not hold by then
     */
    public void awaitCondition(BooleanSupplier condition, String failure) {
        long deadline = System.nanoTime() + JOIN_LIMIT.toNanos();
        while (true) {
            if (time != null) {
                time.runUntilIdle();
            }
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure + " within " + JOIN_LIMIT);
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }

    /** Closes every node, then the clock. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the nodes of a test mesh failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (time != null) {
            time.close();
        } else if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
