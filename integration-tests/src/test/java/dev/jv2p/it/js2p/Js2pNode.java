package dev.jv2p.it.js2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;

/**
 * One real js2p node (MeshSocket or SyncSocket) running in its own Node.js process under
 * {@code js2p-driver.js}, driven over newline-delimited JSON.
 *
 * <pre>{@code
 * try (Js2pNode a = Js2pNode.mesh().start(); Js2pNode b = Js2pNode.mesh().start()) {
 *     b.connect(a);
 *     a.awaitPeer(b.id(), Duration.ofSeconds(10));
 *     b.send(List.of("hello"));
 *     Js2pEvent m = a.awaitMessage(e -> e.userPackets().equals(List.of("hello")), Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Commands block until the driver answers (default timeout {@link #DEFAULT_TIMEOUT}) and throw
 * {@link Js2pCommandException} when js2p threw. Events are kept in arrival order for the node's
 * lifetime; the {@code await*} methods return the first matching event, also one that arrived
 * before the call, and wait on a condition variable (no polling, no sleeping).
 *
 * <p>js2p's console output goes to {@link #stderrLog()}; every command and driver line is
 * written to {@link #transcript()}. Both live under {@code target/js2p-logs}, and their tails are
 * part of every failure message. {@link #close()} stops the process tree and waits for it.
 */
public final class Js2pNode implements AutoCloseable {
    /** Default timeout for commands and awaits. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    /** The js2p socket class to run. */
    public enum Kind {
        /** {@code js2p.mesh.MeshSocket}. */
        MESH("mesh"),
        /** {@code js2p.sync.SyncSocket}. */
        SYNC("sync");

        final String arg;

        Kind(String arg) {
            this.arg = arg;
        }
    }

    /** A routing-table entry as js2p holds it. */
    public record Peer(String id, String host, Integer port, boolean outgoing, List<Object> compression) {}

    /** A stored key with js2p's metadata ({@code owner}, {@code timestamp} in seconds). */
    public record Item(String key, Object value, String owner, Long timestamp) {}

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<Js2pNode> LIVE = ConcurrentHashMap.newKeySet();
    /** Log locations of every node started in this JVM (for {@link Js2pLogsOnFailure}). */
    static final List<Logs> STARTED = new CopyOnWriteArrayList<>();

    /** Where one node's logs are. */
    record Logs(String name, Path stderrLog, Path transcript) {}

    private static final int MAX_START_ATTEMPTS = 8;

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (Js2pNode n : LIVE) {
                                n.kill();
                            }
                        },
                        "js2p-node-reaper"));
    }

    private final String name;
    private final Kind kind;
    private final Duration timeout;
    private final Process process;
    private final Writer stdin;
    private final Path stderrLog;
    private final Path transcript;
    private final Writer transcriptOut;
    private final Thread reader;
    private final AtomicLong nextCid = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Js2pEvent> events = new ArrayList<>(); // guarded by lock
    private volatile boolean exited;
    private volatile boolean closing;
    private volatile boolean closed;

    /** A builder for a MeshSocket node. */
    public static Builder mesh() {
        return new Builder(Kind.MESH);
    }

    /** A builder for a SyncSocket node (leasing argument omitted unless {@link Builder#leasing} is called). */
    public static Builder sync() {
        return new Builder(Kind.SYNC);
    }

    /** Options for one node; {@link #start()} launches it. */
    public static final class Builder {
        private final Kind kind;
        private String host = "127.0.0.1";
        private Integer port;
        private String subnet;
        private String encryption;
        private Boolean leasing;
        private String outAddr;
        private String name;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration startTimeout = Duration.ofSeconds(60);
        private final Map<String, String> environment = new java.util.LinkedHashMap<>();

        private Builder(Kind kind) {
            this.kind = kind;
        }

        /** Bind address (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** A fixed port; by default a free port is picked (and re-picked on EADDRINUSE). js2p cannot use port 0. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("js2p needs a concrete port 1..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Protocol subnet (MeshSocket default "mesh"; SyncSocket default "sync", to which js2p appends "1"/"0"). */
        public Builder subnet(String subnet) {
            this.subnet = subnet;
            return this;
        }

        /** Protocol encryption string (default "Plaintext"). */
        public Builder encryption(String encryption) {
            this.encryption = encryption;
            return this;
        }

        /** SyncSocket leasing argument: {@code null} = omitted (js2p's default, see spec 12.6), true or false. */
        public Builder leasing(Boolean leasing) {
            if (kind != Kind.SYNC && leasing != null) {
                throw new IllegalArgumentException("leasing only applies to SyncSocket");
            }
            this.leasing = leasing;
            return this;
        }

        /** The advertised ("outward") address; default: the bind address. */
        public Builder outAddress(String host, int port) {
            this.outAddr = host + ":" + port;
            return this;
        }

        /** A label for logs and messages. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Timeout for commands (default {@link #DEFAULT_TIMEOUT}). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** An environment variable of the node process (e.g. {@code NODE_EXTRA_CA_CERTS}). */
        public Builder env(String name, String value) {
            environment.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** Timeout for the driver's "ready" line (default 60 s). */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout);
            return this;
        }

        /**
         * Installs js2p if needed (skipping the test if Node.js is missing, failing it under CI),
         * launches the driver and waits until js2p listens.
         */
        public Js2pNode start() {
            Path js2pDir = Js2pInstall.ensureInstalled();
            Path nodeExe = Js2pInstall.node();
            Path driver = Js2pInstall.driverScript();
            int attempts = port != null ? 1 : MAX_START_ATTEMPTS;
            AddressInUse last = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                int p = port != null ? port : freePort(host);
                Js2pNode node = new Js2pNode(this, nodeExe, driver, js2pDir, p);
                try {
                    node.awaitReady(startTimeout);
                    return node;
                } catch (AddressInUse e) {
                    node.close();
                    last = e;
                } catch (RuntimeException | Error e) {
                    node.close();
                    throw e;
                }
            }
            throw new IllegalStateException("js2p could not bind after " + attempts + " attempts", last);
        }
    }

    private static final class AddressInUse extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AddressInUse(String message) {
            super(message);
        }
    }

    private Js2pNode(Builder b, Path nodeExe, Path driver, Path js2pDir, int port) {
        int n = COUNTER.incrementAndGet();
        this.kind = b.kind;
        this.timeout = b.timeout;
        this.name = (b.name != null ? b.name : "js2p-" + b.kind.arg + "-" + n) + "@" + port;
        List<String> cmd = new ArrayList<>(List.of(
                nodeExe.toString(),
                driver.toString(),
                "--js2p-dir",
                js2pDir.toString(),
                "--kind",
                b.kind.arg,
                "--addr",
                b.host,
                "--port",
                Integer.toString(port)));
        if (b.subnet != null) {
            cmd.addAll(List.of("--subnet", b.subnet));
        }
        if (b.encryption != null) {
            cmd.addAll(List.of("--encryption", b.encryption));
        }
        if (b.leasing != null) {
            cmd.addAll(List.of("--leasing", b.leasing.toString()));
        }
        if (b.outAddr != null) {
            cmd.addAll(List.of("--out-addr", b.outAddr));
        }
        String base = String.format(
                "%d-%03d-%s", ProcessHandle.current().pid(), n, this.name.replaceAll("[^A-Za-z0-9@._-]", "_"));
        try {
            Path logDir = Js2pInstall.logDir();
            Files.createDirectories(logDir);
            this.stderrLog = logDir.resolve(base + ".stderr.log");
            this.transcript = logDir.resolve(base + ".jsonl");
            this.transcriptOut = Files.newBufferedWriter(transcript, StandardCharsets.UTF_8);
            transcriptLine("# " + String.join(" ", cmd));
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.to(stderrLog.toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.environment().putAll(b.environment);
            try {
                this.process = pb.start();
            } catch (IOException e) {
                transcriptOut.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the js2p driver: " + cmd, e);
        }
        LIVE.add(this);
        STARTED.add(new Logs(name, stderrLog, transcript));
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.reader = new Thread(this::readLoop, "js2p-reader-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    // ------------------------------------------------------------------ identity

    /** js2p's node id (base58). */
    public String id() {
        return readyInfo().get("nodeId").asText();
    }

    /** The port js2p listens on. */
    public int port() {
        return readyInfo().get("port").asInt();
    }

    /** The bind address. */
    public String host() {
        return readyInfo().get("addr").get(0).asText();
    }

    /** js2p's protocol id (base58), e.g. {@code p7sAnBsK...} for a default SyncSocket. */
    public String protocolId() {
        return readyInfo().get("protocol").get("id").asText();
    }

    /** js2p's effective subnet, e.g. "mesh" or "sync1". */
    public String subnet() {
        return readyInfo().get("protocol").get("subnet").asText();
    }

    /** The compression methods js2p announces, e.g. [19, 17]. */
    @SuppressWarnings("unchecked")
    public List<Object> compression() {
        return (List<Object>) Js2pJson.toValue(readyInfo().get("compression"));
    }

    public Kind kind() {
        return kind;
    }

    /** The label used in logs and messages. */
    public String name() {
        return name;
    }

    /** The driver's whole "ready" line. */
    public JsonNode readyInfo() {
        JsonNode r = readyOrNull();
        if (r == null) {
            throw new IllegalStateException(name + " is not ready");
        }
        return r;
    }

    private JsonNode readyOrNull() {
        return ready.isDone() && !ready.isCompletedExceptionally() ? ready.join() : null;
    }

    /** The OS process id of the driver. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** File with js2p's console output. */
    public Path stderrLog() {
        return stderrLog;
    }

    /** File with every command sent (">") and line received ("<"). */
    public Path transcript() {
        return transcript;
    }

    /** The last lines of js2p's console output. */
    public String stderrTail() {
        return Js2pInstall.tail(stderrLog);
    }

    // ------------------------------------------------------------------ commands

    /** js2p {@code connect(host, port)}; returns what js2p returned ({@code true} when it refused as already connected). */
    public Object connect(String host, int port) {
        return call("connect", "host", host, "port", port);
    }

    /** js2p {@code connect(host, port, id)}: dial with a known id (spec 15.15). */
    public Object connect(String host, int port, String peerId) {
        return call("connect", "host", host, "port", port, "peerId", peerId);
    }

    /** Dials {@code other} (js2p {@code connect(other.host(), other.port())}). */
    public Object connect(Js2pNode other) {
        return connect(other.host(), other.port());
    }

    /** js2p {@code send(packets)}: a broadcast of user message {@code [0, ...packets]}. */
    public void send(List<?> packets) {
        call("send", "packets", packets);
    }

    /** js2p {@code send(packets, flag, type)} with an explicit main flag and sub-flag. */
    public void send(List<?> packets, int mainFlag, int subFlag) {
        call("send", "packets", packets, "flag", mainFlag, "type", subFlag);
    }

    /** js2p {@code message.reply(packets)} to the last message this node received. */
    public void reply(List<?> packets) {
        call("reply", "packets", packets);
    }

    /** js2p {@code message.reply(packets)} to the received message with this id (hex, see {@link Js2pEvent#msgId()}). */
    public void reply(String msgId, List<?> packets) {
        call("reply", "msgId", msgId, "packets", packets);
    }

    /**
     * Sends the whisper {@code [2, id, t, 2, ...packets]} to a directly connected peer, the way
     * {@code reply()} does (js2p has no public whisper-to-id API).
     */
    public void whisper(String peerId, List<?> packets) {
        call("whisper", "to", peerId, "packets", packets);
    }

    /** js2p SyncSocket {@code set(key, value)}. */
    public void set(String key, Object value) {
        call("set", "key", key, "value", value);
    }

    /** js2p SyncSocket {@code get(key, null)}; note js2p returns the fallback for falsy values (0, "", false). */
    public Object get(String key) {
        return call("get", "key", key);
    }

    /** js2p SyncSocket {@code del(key)}; in 0.7.870 this always throws a TypeError (spec 12.4). */
    public void del(String key) {
        call("del", "key", key);
    }

    /** js2p SyncSocket {@code apply_delta(key, delta)}. */
    public void applyDelta(String key, Map<String, ?> delta) {
        call("apply_delta", "key", key, "delta", delta);
    }

    /** js2p SyncSocket {@code update(dict)} (one set per entry). */
    public void update(Map<String, ?> dict) {
        call("update", "dict", dict);
    }

    /** js2p SyncSocket {@code keys()} (which leaves out keys with falsy values). */
    @SuppressWarnings("unchecked")
    public List<String> keys() {
        return (List<String>) call("keys");
    }

    /** Every stored key with value and metadata, straight from js2p's data/metadata objects. */
    public List<Item> items() {
        JsonNode v = command("items", Map.of(), timeout);
        List<Item> out = new ArrayList<>();
        for (JsonNode i : v) {
            JsonNode ts = i.get("timestamp");
            out.add(new Item(
                    i.get("key").asText(),
                    Js2pJson.toValue(i.get("value")),
                    i.get("owner").isNull() ? null : i.get("owner").asText(),
                    ts == null || ts.isNull() ? null : ts.asLong()));
        }
        return out;
    }

    /** Stored items by key. */
    public Map<String, Item> itemMap() {
        Map<String, Item> out = new LinkedHashMap<>();
        for (Item i : items()) {
            out.put(i.key(), i);
        }
        return out;
    }

    /** js2p's routing table (connections that completed a handshake or were dialed with an id). */
    public List<Peer> routingTable() {
        JsonNode v = command("routing_table", Map.of(), timeout);
        List<Peer> out = new ArrayList<>();
        for (JsonNode p : v.get("peers")) {
            JsonNode addr = p.get("addr");
            String host = addr != null && addr.isArray() && !addr.get(0).isNull()
                    ? addr.get(0).asText()
                    : null;
            Integer port = addr != null && addr.isArray() && addr.get(1).isNumber()
                    ? addr.get(1).asInt()
                    : null;
            @SuppressWarnings("unchecked")
            List<Object> compression = (List<Object>) Js2pJson.toValue(p.get("compression"));
            out.add(new Peer(
                    p.get("peerId").asText(), host, port, p.get("outgoing").asBoolean(), compression));
        }
        return out;
    }

    /** The peer ids in js2p's routing table. */
    public Set<String> peerIds() {
        return routingTable().stream().map(Peer::id).collect(Collectors.toUnmodifiableSet());
    }

    /** Number of js2p connections still awaiting a handshake. */
    public int awaitingCount() {
        return command("routing_table", Map.of(), timeout).get("awaiting").asInt();
    }

    /** js2p {@code status}: the string "Nominal", or a list of {name, message, stack} maps. */
    public Object status() {
        return call("status");
    }

    /** Runs a driver command and returns its value in the value model. Arguments are name/value pairs. */
    public Object call(String cmd, Object... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("arguments must be name/value pairs");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            args.put((String) nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return Js2pJson.toValue(command(cmd, args, timeout));
    }

    /** Runs a driver command and returns the raw JSON "value". */
    public JsonNode command(String cmd, Map<String, ?> args, Duration commandTimeout) {
        long cid = nextCid.incrementAndGet();
        ObjectNode line = Js2pJson.MAPPER.createObjectNode();
        line.put("cid", cid);
        line.put("cmd", cmd);
        for (Map.Entry<String, ?> e : args.entrySet()) {
            line.set(e.getKey(), Js2pJson.toJson(e.getValue()));
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(cid, answer);
        try {
            if (exited) {
                throw new IllegalStateException(describe(name + ": driver is not running, cannot run " + cmd));
            }
            String text = line.toString();
            synchronized (stdin) {
                transcriptLine("> " + text);
                stdin.write(text);
                stdin.write('\n');
                stdin.flush();
            }
            JsonNode result = answer.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if ("error".equals(result.path("type").asText())) {
                JsonNode err = result.path("error");
                throw new Js2pCommandException(
                        cmd,
                        err.path("name").asText(null),
                        err.path("message").asText(null),
                        err.path("stack").asText(null));
            }
            return result.get("value");
        } catch (IOException e) {
            throw new UncheckedIOException(describe(name + ": cannot write command " + cmd), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(describe(name + ": no answer to " + cmd + " within " + commandTimeout), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    describe(name + ": " + cmd + " failed: " + e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted during " + cmd, e);
        } finally {
            pending.remove(cid);
        }
    }

    // ------------------------------------------------------------------ events

    /** A snapshot of all events so far, in arrival order. */
    public List<Js2pEvent> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of the events matching {@code filter}. */
    public List<Js2pEvent> events(Predicate<Js2pEvent> filter) {
        return events().stream().filter(filter).toList();
    }

    /** A snapshot of the events of one type. */
    public List<Js2pEvent> events(String type) {
        return events(e -> e.is(type));
    }

    /** The {@code seq} of the newest event so far (0 if none): use it to await only later events. */
    public long lastSeq() {
        lock.lock();
        try {
            return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the first event (including ones already received) matching {@code predicate}, waiting
     * up to {@code timeout}. Fails the test on timeout or if the driver exits first.
     */
    public Js2pEvent awaitEvent(Predicate<Js2pEvent> predicate, Duration timeout) {
        return awaitEvents(predicate, 1, timeout).get(0);
    }

    /** Waits until at least {@code count} events match and returns the first {@code count} of them. */
    public List<Js2pEvent> awaitEvents(Predicate<Js2pEvent> predicate, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                List<Js2pEvent> found = new ArrayList<>();
                for (Js2pEvent e : events) {
                    if (predicate.test(e)) {
                        found.add(e);
                        if (found.size() == count) {
                            return Collections.unmodifiableList(found);
                        }
                    }
                }
                if (exited) {
                    return Assertions.fail(describe(name + ": driver exited while waiting for " + count
                            + " matching event(s), found " + found.size()));
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return Assertions.fail(describe(name + ": timed out after " + timeout + " waiting for " + count
                            + " matching event(s), found " + found.size()));
                }
                changed.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while awaiting an event", e);
        } finally {
            lock.unlock();
        }
    }

    /** First event of {@code type} matching {@code predicate}. */
    public Js2pEvent awaitEvent(String type, Predicate<Js2pEvent> predicate, Duration timeout) {
        return awaitEvent(e -> e.is(type) && predicate.test(e), timeout);
    }

    /** First 'message' event matching {@code predicate}. */
    public Js2pEvent awaitMessage(Predicate<Js2pEvent> predicate, Duration timeout) {
        return awaitEvent(Js2pEvent.MESSAGE, predicate, timeout);
    }

    /** First 'message' event whose user packets (after the sub-flag) equal {@code userPackets}. */
    public Js2pEvent awaitMessage(List<?> userPackets, Duration timeout) {
        return awaitMessage(e -> Js2pJson.deepEquals(e.userPackets(), userPackets), timeout);
    }

    /** First 'update' event for {@code key}. */
    public Js2pEvent awaitUpdate(String key, Duration timeout) {
        return awaitEvent(Js2pEvent.UPDATE, e -> key.equals(e.key()), timeout);
    }

    /** First 'update' event for {@code key} whose value equals {@code value}. */
    public Js2pEvent awaitUpdate(String key, Object value, Duration timeout) {
        return awaitEvent(
                Js2pEvent.UPDATE, e -> key.equals(e.key()) && Js2pJson.deepEquals(e.updateValue(), value), timeout);
    }

    /** Waits until {@code peerId} has been put into js2p's routing table. */
    public Js2pEvent awaitPeer(String peerId, Duration timeout) {
        return awaitEvent(Js2pEvent.PEER_ADDED, e -> peerId.equals(e.peerId()), timeout);
    }

    /** Waits until {@code peerId} has been removed from js2p's routing table. */
    public Js2pEvent awaitPeerRemoved(String peerId, Duration timeout) {
        return awaitEvent(Js2pEvent.PEER_REMOVED, e -> peerId.equals(e.peerId()), timeout);
    }

    /** First 'exception' event. */
    public Js2pEvent awaitException(Duration timeout) {
        return awaitEvent(e -> e.is(Js2pEvent.EXCEPTION), timeout);
    }

    /** All 'exception' events so far. */
    public List<Js2pEvent> exceptions() {
        return events(Js2pEvent.EXCEPTION);
    }

    // ------------------------------------------------------------------ lifecycle

    /** Asks js2p to close, then makes sure the process tree is gone. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closing = true;
        try {
            if (process.isAlive() && !exited && ready.isDone() && !ready.isCompletedExceptionally()) {
                try {
                    command("close", Map.of(), Duration.ofSeconds(5));
                } catch (RuntimeException e) {
                    transcriptLine("# close command failed: " + e);
                }
            }
            try {
                stdin.close();
            } catch (IOException e) {
                // the driver may already be gone
            }
            if (!waitFor(Duration.ofSeconds(5))) {
                kill();
                waitFor(Duration.ofSeconds(10));
            }
            try {
                reader.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            closed = true;
            LIVE.remove(this);
            synchronized (transcriptOut) {
                try {
                    transcriptOut.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }

    /** Kills the driver's process tree without asking js2p (simulates a crash). */
    public void kill() {
        closing = true; // expected exit: do not report it as unexpected
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitReady(Duration startTimeout) {
        try {
            ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(describe(name + ": driver not ready within " + startTimeout), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AddressInUse a) {
                throw a;
            }
            throw new IllegalStateException(
                    describe(name + ": driver failed to start: " + e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while starting", e);
        }
    }

    private void readLoop() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                transcriptLine("< " + line);
                handleLine(line);
            }
        } catch (IOException e) {
            transcriptLine("# stdout read failed: " + e);
        } finally {
            int code = waitFor(Duration.ofSeconds(5)) ? process.exitValue() : -1;
            transcriptLine("# driver exited with code " + code);
            lock.lock();
            try {
                exited = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            IllegalStateException gone = new IllegalStateException("js2p driver exited (code " + code + ")");
            ready.completeExceptionally(gone);
            pending.values().forEach(f -> f.completeExceptionally(gone));
            if (!closing) {
                System.err.println(describe(name + ": js2p driver exited unexpectedly (code " + code + ")"));
            }
        }
    }

    private void handleLine(String line) {
        JsonNode json;
        try {
            json = Js2pJson.MAPPER.readTree(line);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject() || !json.hasNonNull("type")) {
            // The driver keeps stdout pure JSON: anything else is a harness bug worth seeing.
            ObjectNode bad = Js2pJson.MAPPER.createObjectNode();
            bad.put("type", "invalid_line");
            bad.put("line", line);
            addEvent(new Js2pEvent("invalid_line", -1, bad));
            System.err.println(name + ": non-JSON line on driver stdout: " + line);
            return;
        }
        String type = json.get("type").asText();
        switch (type) {
            case "ready" -> ready.complete(json);
            case "fatal" -> {
                String code = json.path("code").asText();
                String message = code + ": " + json.path("message").asText();
                ready.completeExceptionally(
                        "EADDRINUSE".equals(code) ? new AddressInUse(message) : new IllegalStateException(message));
            }
            case "result", "error" -> {
                CompletableFuture<JsonNode> f = pending.get(json.path("cid").asLong(-1));
                if (f != null) {
                    f.complete(json);
                } else {
                    addEvent(new Js2pEvent("unmatched_" + type, json.path("seq").asLong(), json));
                }
            }
            default -> addEvent(new Js2pEvent(type, json.path("seq").asLong(), json));
        }
    }

    private void addEvent(Js2pEvent e) {
        lock.lock();
        try {
            events.add(e);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void transcriptLine(String text) {
        synchronized (transcriptOut) {
            try {
                transcriptOut.write(text);
                transcriptOut.write('\n');
                transcriptOut.flush();
            } catch (IOException e) {
                // closed: ignore
            }
        }
    }

    private String describe(String message) {
        StringBuilder sb = new StringBuilder(message);
        List<Js2pEvent> recent = events();
        sb.append("\n--- last events of ")
                .append(name)
                .append(" (")
                .append(recent.size())
                .append(" total) ---\n");
        for (Js2pEvent e : recent.subList(Math.max(0, recent.size() - 30), recent.size())) {
            sb.append(abbreviate(e.toString(), 600)).append('\n');
        }
        sb.append("--- js2p console (").append(stderrLog).append(") ---\n").append(stderrTail());
        sb.append("\n--- transcript: ").append(transcript).append(" ---");
        return sb.toString();
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /** A port that was free a moment ago on {@code host} (js2p itself cannot bind port 0). */
    public static int freePort(String host) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }

    @Override
    public String toString() {
        JsonNode r = readyOrNull();
        return "Js2pNode[" + name + (r != null ? ", id=" + r.path("nodeId").asText() : "") + "]";
    }
}
