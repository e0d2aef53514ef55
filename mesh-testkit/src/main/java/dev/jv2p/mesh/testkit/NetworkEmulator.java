package dev.jv2p.mesh.testkit;

import dev.jv2p.mesh.InMemoryNetwork;
import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.local.LocalAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A controllable {@link InMemoryNetwork} between named nodes: links that lose or delay what is
 * sent over them, and partitions. A node is named by the host it binds ({@code
 * MeshConfig.bindHost}), and joins through {@link #transport(String)}, which both binds it to
 * this network and puts its links under the emulator's rules.
 *
 * <p>Rules work on the bytes a node writes, per direction: {@link #drop} loses them (like a
 * link whose packets all vanish, or a peer that is paused: TCP would stall rather than lose
 * bytes, so restore a link only once the nodes have closed the connections that crossed it);
 * {@link #delay} delivers them later, in order, by the clock of the writer's event loop (virtual
 * under {@link VirtualTime}). {@link #partition} closes the links between two groups and fails
 * their dials, until {@link #heal()}. Thread-safe; rules apply to bytes written after they are set.
 */
public final class NetworkEmulator {
    /** Matches any node in a rule. */
    public static final String ANY = "*";

    private final InMemoryNetwork network;
    private final Map<List<String>, Rule> rules = new ConcurrentHashMap<>();
    private final Map<String, InetSocketAddress> bound = new ConcurrentHashMap<>();
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    /** Per dialer and dialed node: connections made, and of those, closed. */
    private final Map<List<String>, AtomicIntegerArray> dials = new ConcurrentHashMap<>();

    /** What happens to bytes on one direction of a link. */
    record Rule(boolean drop, Duration delay) {}

    /** An emulator over a new in-memory network. */
    public NetworkEmulator() {
        this(new InMemoryNetwork());
    }

    /** An emulator over {@code network}; only nodes that join through {@link #transport} follow its rules. */
    public NetworkEmulator(InMemoryNetwork network) {
        this.network = Objects.requireNonNull(network, "network");
    }

    /** The network underneath. */
    public InMemoryNetwork network() {
        return network;
    }

    /** The plaintext transport for the node named {@code name} ({@code MeshConfig.transport}). */
    public Transport transport(String name) {
        return transport(name, network.plaintext());
    }

    /**
     * {@code transport} (made with {@link InMemoryNetwork#over} or {@link InMemoryNetwork#plaintext}
     * of this emulator's network) for the node named {@code name}, under the emulator's rules.
     *
     * @throws IllegalArgumentException if the name is blank, {@code *}, holds {@code #}, or is
     *     taken by another node of this emulator
     */
    public Transport transport(String name, Transport transport) {
        if (name == null || name.isBlank() || name.equals(ANY) || name.contains("#")) {
            throw new IllegalArgumentException("a node name must be non-blank, not '*', without '#': " + name);
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("there is a node named " + name + " on " + this + " already");
        }
        return new EmulatedTransport(this, name, transport);
    }

    /** Loses everything {@code from} sends to {@code to} ({@link #ANY} for every node). */
    public void drop(String from, String to) {
        rules.put(List.of(from, to), new Rule(true, Duration.ZERO));
    }

    /** Loses everything {@code node} sends or is sent: the node looks paused to the others. */
    public void isolate(String node) {
        drop(node, ANY);
        drop(ANY, node);
    }

    /** Delivers what {@code from} sends to {@code to} ({@link #ANY} for every node) {@code delay} late. */
    public void delay(String from, String to, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        rules.put(List.of(from, to), new Rule(false, delay));
    }

    /** Removes every drop and delay rule. */
    public void restore() {
        rules.clear();
    }

    /**
     * Cuts the links between the named nodes and all others, and fails dials between the two
     * groups, until {@link #heal()}.
     *
     * @throws IllegalArgumentException if a name is not a node of this emulator that is listening
     */
    public void partition(Collection<String> side) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String name : side) {
            InetSocketAddress a = bound.get(name);
            if (a == null) {
                throw new IllegalArgumentException("no node named " + name + " listens on " + network);
            }
            addresses.add(a);
        }
        network.partition(addresses);
    }

    /** Ends a partition. */
    public void heal() {
        network.heal();
    }

    /** How many connections the node {@code from} has dialed to {@code to} (opened, closed since or not). */
    public int dialed(String from, String to) {
        AtomicIntegerArray d = dials.get(List.of(from, to));
        return d == null ? 0 : d.get(0);
    }

    /** How many of the connections {@code from} dialed to {@code to} are open. */
    public int open(String from, String to) {
        AtomicIntegerArray d = dials.get(List.of(from, to));
        return d == null ? 0 : d.get(0) - d.get(1);
    }

    /** A connection {@code from} dialed became active ({@code opened}) or closed. */
    void dial(String from, String to, boolean opened) {
        dials.computeIfAbsent(List.of(from, String.valueOf(to)), k -> new AtomicIntegerArray(2))
                .incrementAndGet(opened ? 0 : 1);
    }

    void bound(String name, SocketAddress address) {
        InetSocketAddress a = network.hostAndPort(address);
        if (a != null) {
            bound.put(name, a);
        }
    }

    /** The rule for bytes {@code from} writes to {@code to}, or null for a plain link. */
    Rule rule(String from, String to) {
        Rule r = rules.get(List.of(from, to == null ? ANY : to));
        if (r == null && to != null) {
            r = rules.get(List.of(from, ANY));
        }
        if (r == null && to != null) {
            r = rules.get(List.of(ANY, to));
        }
        return r;
    }

    /** The name of the node at {@code address}: a listening address or a dialing end made by {@link EmulatedLink}. */
    String nameOf(SocketAddress address) {
        InetSocketAddress a = network.hostAndPort(address);
        if (a != null) {
            return a.getHostString();
        }
        if (address instanceof LocalAddress local && local.id().startsWith(EmulatedLink.DIAL_PREFIX)) {
            String rest = local.id().substring(EmulatedLink.DIAL_PREFIX.length());
            return rest.substring(0, rest.lastIndexOf('#'));
        }
        return null;
    }

    @Override
    public String toString() {
        return "emulator over " + network;
    }
}
