package dev.jv2p.mesh.internal;

import dev.jv2p.mesh.LayerContext;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.PeerEvents;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.PeerLink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the node joined to one seed (a {@link dev.jv2p.mesh.MeshConfig#seeds() MeshConfig seed}
 * or the CLI's {@code --join}) for as long as the node runs. The seed's host
 * may be a name with several addresses (a Kubernetes headless service, a Compose service with
 * replicas): every round resolves it again, dials each address (A and AAAA) this node is not
 * connected to, and schedules the next round: with back-off while an address failed, the name
 * did not resolve or it named only this node, else after {@code maxDelay}, so that addresses
 * added later are found. A lost peer of the seed starts a round at once. Without the redial a
 * partition longer than the keep-alive timeout, or a restart of the peer, would split the mesh
 * for good: no other node redials a dropped peer.
 *
 * <p>Names are resolved by {@link Resolver} on {@code resolveOn}, never on the event loop (a
 * lookup blocks). How long the JVM caches answers is its security property {@code
 * networkaddress.cache.ttl} (30 s by default); the CLI lowers it. All other state is confined to
 * the node's event loop.
 */
public final class SeedJoiner implements PeerEvents {
    /** Finds every address of a host; a seam so tests can give a name several loopback addresses. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** The JVM's resolver: every A and AAAA record (an address literal is returned as it is). */
    public static final Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    private final MeshSocket node;
    /** The node's event loop, where this joiner's state lives. */
    private final LayerContext loop;

    private final String host;
    private final int port;
    /** {@code host:port}, as messages name the seed. */
    private final String seed;
    /** Where the joined and failed messages go. */
    private final Consumer<String> report;

    private final Duration maxDelay;
    private final Backoff backoff;
    private final Resolver resolver;
    private final Executor resolveOn;

    /** The id that answered at each address, once one did. */
    private final Map<InetAddress, String> answered = new HashMap<>();

    private final Set<InetAddress> dialing = new HashSet<>();
    private boolean resolving;
    /** Whether the seed's host named one address (besides this node) when last resolved. */
    private boolean singleAddress;
    /** Whether an address failed in the current round. */
    private boolean roundFailed;

    private ScheduledFuture<?> nextRound;
    /** Whether the current streak of failures was reported (one line per streak, not per attempt). */
    private boolean failureReported;

    /**
     * A joiner of {@code node} to the node(s) at {@code host:port}, whose rounds back off from
     * {@code firstDelay} to {@code maxDelay}; {@code report} hears one line when an address is
     * joined and one per streak of failures.
     */
    public SeedJoiner(
            MeshSocket node,
            String host,
            int port,
            Duration firstDelay,
            Duration maxDelay,
            Resolver resolver,
            Executor resolveOn,
            Consumer<String> report) {
        this.node = node;
        this.loop = node.layerContext();
        this.host = host;
        this.port = port;
        this.seed = host + ":" + port;
        this.report = report;
        this.maxDelay = maxDelay.compareTo(firstDelay) < 0 ? firstDelay : maxDelay;
        this.backoff = new Backoff(firstDelay, this.maxDelay);
        this.resolver = resolver;
        this.resolveOn = resolveOn;
    }

    /**
     * Starts a joiner of {@code node} for each of {@code seeds} ({@link
     * dev.jv2p.mesh.MeshConfig#seeds()}): back-off from half a second, a new lookup every 30 s
     * once joined, on a lookup thread of their own.
     *
     * @return the lookup thread's executor, for the node to shut down when it closes; {@code
     *     null} without seeds
     */
    public static ExecutorService joinAll(MeshSocket node, List<InetSocketAddress> seeds, Consumer<String> report) {
        if (seeds.isEmpty()) {
            return null;
        }
        ExecutorService lookups = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jv2p-seed-lookups " + node.id());
            t.setDaemon(true);
            return t;
        });
        for (InetSocketAddress seed : seeds) {
            new SeedJoiner(
                            node,
                            seed.getHostString(),
                            seed.getPort(),
                            Duration.ofMillis(500),
                            Duration.ofSeconds(30),
                            SYSTEM,
                            lookups,
                            report)
                    .start();
        }
        return lookups;
    }

    /** Starts the first round at once, on the node's event loop. */
    public void start() {
        loop.addPeerEvents(this);
        loop.execute(this::round);
    }

    @Override
    public void onPeerClosed(PeerLink link) {
        if (!node.isClosed()
                && link.id() != null
                && answered.containsValue(link.id())
                && !node.routingTable().containsKey(link.id())) {
            report.accept("lost " + seed + " (node " + link.id() + "); rejoining");
            backoff.reset();
            scheduleRound(backoff.next());
        }
    }

    private void round() {
        nextRound = null;
        if (node.isClosed() || resolving || !dialing.isEmpty()) {
            return;
        }
        resolving = true;
        CompletableFuture.supplyAsync(this::resolveOthers, resolveOn)
                .whenComplete((found, err) -> onLoop(() -> {
                    resolving = false;
                    resolved(found, err);
                }));
    }

    /** The seed's addresses without this node's own (off the event loop: it may block). */
    private List<InetAddress> resolveOthers() {
        List<InetAddress> others = new ArrayList<>();
        try {
            for (InetAddress a : resolver.resolve(host)) {
                if (!isThisNode(a)) {
                    others.add(a);
                }
            }
        } catch (UnknownHostException e) {
            throw new CompletionException(e);
        }
        return others;
    }

    /**
     * Whether this node listens at {@code a} on the seed's port: the bound address itself, or
     * any address of this host when bound to the wildcard (a replica finds itself in its
     * service's name).
     */
    private boolean isThisNode(InetAddress a) {
        InetSocketAddress local = node.localAddress();
        if (local.getPort() != port) {
            return false;
        }
        InetAddress bound = local.getAddress();
        if (bound == null || !bound.isAnyLocalAddress()) {
            return a.equals(bound);
        }
        try {
            return a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private void resolved(List<InetAddress> found, Throwable err) {
        if (node.isClosed()) {
            return;
        }
        if (err != null) {
            Throwable cause = err.getCause() != null ? err.getCause() : err;
            reportFailure(cause.getMessage());
            scheduleRound(backoff.next());
            return;
        }
        if (found.isEmpty()) {
            reportFailure(host + " names no node but this one yet");
            scheduleRound(backoff.next());
            return;
        }
        roundFailed = false;
        singleAddress = found.size() == 1;
        for (InetAddress a : found) {
            if (!joinedAt(a)) {
                dial(a);
            }
        }
        if (dialing.isEmpty()) {
            roundDone();
        }
    }

    private void dial(InetAddress a) {
        dialing.add(a);
        node.connect(a.getHostAddress(), port).whenComplete((info, err) -> onLoop(() -> dialed(a, info, err)));
    }

    private void dialed(InetAddress a, PeerInfo info, Throwable err) {
        dialing.remove(a);
        if (node.isClosed()) {
            return;
        }
        if (err == null) {
            answered.put(a, info.id());
            // Said every time, not only after a failure: someone who just typed --join wants to
            // know it worked before typing commands.
            report.accept("joined " + seed + at(a) + " (node " + info.id() + ")");
        } else if (!joinedAt(a)) { // else the peer dialed this node meanwhile: a duplicate was refused
            Throwable cause = err.getCause() != null ? err.getCause() : err;
            reportFailure(a.getHostAddress() + ": " + cause.getMessage());
            roundFailed = true;
        }
        if (dialing.isEmpty()) {
            roundDone();
        }
    }

    private void roundDone() {
        if (roundFailed) {
            scheduleRound(backoff.next());
            return;
        }
        backoff.reset();
        failureReported = false;
        scheduleRound(maxDelay);
    }

    private void reportFailure(String why) {
        if (!failureReported) {
            report.accept("could not join " + seed + " (" + why + "); retrying with back-off up to "
                    + maxDelay.toMillis() + " ms");
            failureReported = true;
        }
    }

    /** Schedules the next round in {@code delay}, or sooner if one is due sooner already. */
    private void scheduleRound(Duration delay) {
        if (node.isClosed()) {
            return;
        }
        if (nextRound != null) {
            if (nextRound.getDelay(TimeUnit.NANOSECONDS) <= delay.toNanos()) {
                return;
            }
            nextRound.cancel(false);
        }
        try {
            nextRound = loop.schedule(this::round, delay);
        } catch (RejectedExecutionException closing) {
            // the node shut down meanwhile
        }
    }

    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException closing) {
            // the node shut down meanwhile
        }
    }

    /**
     * Connected to the node at {@code a}: by the id that answered there, or to a peer that
     * announces {@code a} (or the seed's host, when that names one address) and the seed's
     * port, or that connected from {@code a} announcing the seed's port (it dialed this node
     * first; a dial of ours would be refused as a duplicate).
     */
    private boolean joinedAt(InetAddress a) {
        String id = answered.get(a);
        if (id != null && node.routingTable().containsKey(id)) {
            return true;
        }
        for (PeerInfo p : node.routingTable().values()) {
            if (p.advertisedPort() != port) {
                continue;
            }
            InetSocketAddress remote = p.remoteAddress();
            if (a.getHostAddress().equals(p.advertisedHost())
                    || singleAddress && host.equals(p.advertisedHost())
                    || remote != null && a.equals(remote.getAddress())) {
                return true;
            }
        }
        return false;
    }

    private String at(InetAddress a) {
        return host.equals(a.getHostAddress()) ? "" : " at " + a.getHostAddress();
    }
}
