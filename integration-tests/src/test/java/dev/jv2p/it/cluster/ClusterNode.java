package dev.jv2p.it.cluster;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

/**
 * One jv2p node in a container of a {@link Cluster}: driven through {@code jv2pctl} (its
 * loopback control port) with {@code execInContainer}, frozen with pause, killed with SIGKILL
 * and restarted in the same container, so its identity file and network aliases survive.
 *
 * <p>Methods are called from the test thread, or from a few threads at once for different
 * nodes; one node's methods are not meant to run concurrently with its own life-cycle changes.
 */
public final class ClusterNode {
    static final int MESH_PORT = 4000;
    static final int CONTROL_PORT = 7000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(90);

    /** Where a node is in its life. */
    public enum State {
        RUNNING,
        PAUSED,
        KILLED
    }

    private final String name;
    private final GenericContainer<?> container;
    private volatile State state = State.RUNNING;
    private volatile String id;

    ClusterNode(String name, GenericContainer<?> container) {
        this.name = name;
        this.container = container;
    }

    /** The short name used in tests: {@code a}, {@code b}, ... */
    public String name() {
        return name;
    }

    /** The network alias other nodes dial: {@code node-a}. */
    public String alias() {
        return alias(name);
    }

    static String alias(String name) {
        return "node-" + name;
    }

    /** {@code node-a:4000}, the address this node advertises. */
    public String address() {
        return alias() + ":" + MESH_PORT;
    }

    /** The node id, read when the node started (the same after a restart: identity file). */
    public String id() {
        if (id == null) {
            id = call("status").get("id").asText();
        }
        return id;
    }

    public State state() {
        return state;
    }

    GenericContainer<?> container() {
        return container;
    }

    // ---- commands -----------------------------------------------------------------------------

    /** Sends commands over one control connection; returns their JSON answers in order. */
    public List<JsonNode> call(String... commands) {
        if (state != State.RUNNING) {
            throw new IllegalStateException("node " + name + " is " + state + "; cannot run " + List.of(commands));
        }
        ExecResult r = exec(commands);
        List<JsonNode> answers = new ArrayList<>();
        for (String line : r.getStdout().split("\n")) {
            if (!line.isBlank()) {
                answers.add(parse(line));
            }
        }
        if (r.getExitCode() != 0 || answers.size() != commands.length) {
            throw new NodeCommandException("node " + name + ": " + List.of(commands) + " exited " + r.getExitCode()
                    + " with " + answers.size() + " answers: " + r.getStderr().strip());
        }
        return answers;
    }

    /** Sends one command; returns its JSON answer. */
    public JsonNode call(String command) {
        return call(new String[] {command}).get(0);
    }

    /** Every entry with its owner and timestamp. */
    public Map<String, Entry> dump() {
        Map<String, Entry> entries = new LinkedHashMap<>();
        JsonNode all = call("dump").get("entries");
        for (Map.Entry<String, JsonNode> e : all.properties()) {
            entries.put(e.getKey(), Entry.of(e.getValue()));
        }
        return entries;
    }

    /** Ids of the peers in this node's routing table. */
    public Set<String> peerIds() {
        Set<String> ids = new LinkedHashSet<>();
        call("peers").get("peers").forEach(p -> ids.add(p.get("id").asText()));
        return ids;
    }

    /** Hosts (aliases) the peers in this node's routing table advertise. */
    public Set<String> peerAliases() {
        Set<String> hosts = new LinkedHashSet<>();
        call("peers").get("peers").forEach(p -> hosts.add(p.get("host").asText()));
        return hosts;
    }

    /** This node's routing table in one line: alias, in or out, and whether the peer said it is jv2p. */
    public String describePeers() {
        List<String> peers = new ArrayList<>();
        call("peers")
                .get("peers")
                .forEach(p -> peers.add(p.get("host").asText()
                        + (p.get("outgoing").asBoolean() ? " out" : " in")
                        + (p.get("jv2p").asBoolean() ? "" : " js2p?")));
        return peers.toString();
    }

    /** The value of {@code key}, or {@code null}. */
    public JsonNode get(String key) {
        JsonNode v = call("get " + key).get("value");
        return v == null || v.isNull() ? null : v;
    }

    private ExecResult exec(String... commands) {
        String[] argv = new String[commands.length + 1];
        argv[0] = "jv2pctl";
        System.arraycopy(commands, 0, argv, 1, commands.length);
        try {
            return container.execInContainer(argv);
        } catch (IOException e) {
            throw new UncheckedIOException("node " + name + ": exec failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeCommandException("node " + name + ": interrupted", e);
        } catch (RuntimeException e) {
            throw new NodeCommandException("node " + name + ": exec failed: " + e.getMessage(), e);
        }
    }

    private JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new NodeCommandException("node " + name + " answered something that is not JSON: " + line, e);
        }
    }

    // ---- life cycle ---------------------------------------------------------------------------

    /** Freezes every process of the node (SIGSTOP through the freezer cgroup). */
    public void pause() {
        docker().pauseContainerCmd(containerId()).exec();
        state = State.PAUSED;
    }

    public void unpause() {
        docker().unpauseContainerCmd(containerId()).exec();
        state = State.RUNNING;
    }

    /** {@code kill -9}: the JVM gets no chance to close connections or say goodbye. */
    public void kill() {
        if (state == State.PAUSED) {
            unpause(); // a frozen process cannot die until thawed
        }
        docker().killContainerCmd(containerId()).withSignal("KILL").exec();
        state = State.KILLED;
        await("node " + name + " to die")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !Boolean.TRUE.equals(docker().inspectContainerCmd(containerId())
                        .exec()
                        .getState()
                        .getRunning()));
    }

    /**
     * Starts the killed node's container again: same file system (identity file), same
     * networks and aliases, same command line. Returns once the node answers commands.
     */
    public void restart() {
        if (state != State.KILLED) {
            throw new IllegalStateException("node " + name + " is " + state + ", not killed");
        }
        docker().startContainerCmd(containerId()).exec();
        state = State.RUNNING;
        String now = await("node " + name + " to answer after its restart")
                .atMost(RESTART_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .ignoreException(NodeCommandException.class)
                .until(() -> call("status").get("id").asText(), java.util.Objects::nonNull);
        if (id != null && !id.equals(now)) {
            throw new IllegalStateException("node " + name + " came back as " + now + ", not " + id);
        }
    }

    void disconnect(String networkId) {
        docker().disconnectFromNetworkCmd()
                .withNetworkId(networkId)
                .withContainerId(containerId())
                .withForce(true)
                .exec();
    }

    void connect(String networkId) {
        docker().connectToNetworkCmd()
                .withNetworkId(networkId)
                .withContainerId(containerId())
                .withContainerNetwork(new ContainerNetwork().withAliases(alias()))
                .exec();
    }

    /** Everything the node wrote to stdout and stderr, across restarts. */
    public String logs() {
        return container.getLogs();
    }

    String containerId() {
        return container.getContainerId();
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    @Override
    public String toString() {
        return name + (id == null ? "" : " (" + id.substring(0, Math.min(8, id.length())) + ")") + " " + state;
    }
}
