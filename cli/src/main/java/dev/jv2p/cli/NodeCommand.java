package dev.jv2p.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshException;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.internal.NodeIds;
import dev.jv2p.mesh.internal.SeedJoiner;
import dev.jv2p.sync.Durability;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jv2p node}: starts a sync node, joins peers, and reads commands from standard input. */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Start a node of a synchronized dictionary and read commands from standard input.",
            "When input is not a terminal, every command gets exactly one answer line (JSON with --json).",
            Repl.HELP
        })
final class NodeCommand implements Callable<Integer> {
    /** Where {@code --join} names are looked up: a lookup blocks, so never on the event loop. */
    private static final java.util.concurrent.Executor RESOLVER =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "jv2p-resolver");
                t.setDaemon(true);
                return t;
            });

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", defaultValue = "0", description = "Port to listen on; 0 picks a free one (default: 0).")
    int port;

    @Option(
            names = "--advertise",
            paramLabel = "HOST:PORT",
            description = "Address announced to peers (default: the bound one; with a wildcard --bind, the address"
                    + " this host's name resolves to, e.g. a container's own).")
    String advertise;

    @Option(
            names = "--join",
            paramLabel = "HOST:PORT",
            description = "A peer to join; repeatable. A name with several addresses joins every one (re-resolved"
                    + " with back-off). Retried with back-off while unreachable, and rejoined when lost.")
    List<String> join = new ArrayList<>();

    @Option(
            names = "--subnet",
            defaultValue = "sync",
            description = "Dictionary network name (default: ${DEFAULT-VALUE}).")
    String subnet;

    @Option(names = "--codec", defaultValue = "msgpack", description = "Body codec (default: ${DEFAULT-VALUE}).")
    String codec;

    @Option(
            names = "--transport",
            defaultValue = "Plaintext",
            description = "Transport: Plaintext, SSL, TLS, ws or wss (default: ${DEFAULT-VALUE}).")
    String transport;

    @Option(names = "--no-leasing", description = "Last writer wins instead of one-hour leases (announces subnet+'0').")
    boolean noLeasing;

    @Option(
            names = "--identity-file",
            paramLabel = "FILE",
            description =
                    "Keeps this node's id across restarts (same address and port; --data-dir keeps it on any address).")
    Path identityFile;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Keeps the dictionary and the node's identity (with TLS, its key) in DIR across restarts.")
    Path dataDir;

    @Option(
            names = "--durability",
            defaultValue = "group-commit",
            description = "With --data-dir: when a write is safe on disk: always, group-commit or os"
                    + " (default: ${DEFAULT-VALUE}).")
    String durability;

    @Option(
            names = "--key-file",
            paramLabel = "FILE",
            description =
                    "TLS identity: an Ed25519 key (PKCS#8 PEM), created if absent; the node id is derived from it. Needs --transport TLS.")
    Path keyFile;

    @Option(
            names = "--allow",
            paramLabel = "NODE-ID",
            description = "With TLS: only these node ids may connect (repeatable).")
    List<String> allow = new ArrayList<>();

    @Option(
            names = "--wss-cert",
            paramLabel = "FILE",
            description =
                    "With --transport wss: the certificate chain (PEM) to present; needs --wss-key. Default: a self-signed P-256 one for localhost.")
    Path wssCert;

    @Option(
            names = "--wss-key",
            paramLabel = "FILE",
            description = "With --transport wss: the private key (PEM) of --wss-cert.")
    Path wssKey;

    @Option(
            names = "--wss-trust",
            paramLabel = "FILE",
            description = "With --transport wss: certificates (PEM) trusted when dialing, instead of the JDK's.")
    Path wssTrust;

    @Option(
            names = "--max-peers",
            defaultValue = "64",
            description = "Most connections at once (default: ${DEFAULT-VALUE}).")
    int maxPeers;

    @Option(
            names = "--broadcast-tree",
            description = "Send broadcasts along a tree among jv2p nodes that have it on too (off by default).")
    boolean broadcastTree;

    @Option(
            names = "--no-peer-dialing",
            description = "Do not dial the peers that peers lists name (fixed topologies).")
    boolean noPeerDialing;

    @Option(
            names = "--anti-entropy-interval",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationOption.class,
            description = "How often jv2p peers compare dictionary digests (default: ${DEFAULT-VALUE}).")
    Duration antiEntropyInterval;

    @Option(
            names = "--keep-alive-interval",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = DurationOption.class,
            description = "How often jv2p peers are pinged (default: ${DEFAULT-VALUE}).")
    Duration keepAliveInterval;

    @Option(
            names = "--keep-alive-timeout",
            paramLabel = "DURATION",
            defaultValue = "20s",
            converter = DurationOption.class,
            description = "A jv2p peer silent this long is dropped (default: ${DEFAULT-VALUE}).")
    Duration keepAliveTimeout;

    @Option(
            names = "--join-max-delay",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationOption.class,
            description = "Longest wait between attempts to (re)join a --join peer (default: ${DEFAULT-VALUE}).")
    Duration joinMaxDelay;

    @Option(names = "--json", description = "Answer every command with one JSON object per line.")
    boolean json;

    @Option(
            names = "--control-port",
            paramLabel = "PORT",
            description = "Also accept commands on this loopback TCP port (JSON answers); 0 picks one.")
    Integer controlPort;

    @Option(
            names = "--no-stdin",
            description =
                    "Do not read commands from standard input; run until stopped (with --control-port for control).")
    boolean noStdin;

    @Option(
            names = "--log-level",
            defaultValue = "warn",
            description = "trace, debug, info, warn or error (default: ${DEFAULT-VALUE}); logs go to stderr.")
    String logLevel;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        SyncConfig config;
        List<HostPort> peers = new ArrayList<>();
        try {
            Logging.setLevel(logLevel);
            config = config(peers);
        } catch (IllegalArgumentException | UncheckedIOException | dev.jv2p.transport.tls.KeyFileException e) {
            System.err.println("jv2p: " + e.getMessage());
            return 2;
        }
        SyncSocket node;
        try {
            node = SyncSocket.start(config);
        } catch (IllegalArgumentException | IllegalStateException | MeshException e) {
            System.err.println("jv2p: " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(node::close, "jv2p-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ControlServer control = null;
        try (node) {
            if (controlPort != null) {
                try {
                    control = new ControlServer(node, controlPort);
                } catch (java.io.IOException e) {
                    System.err.println("jv2p: cannot open control port " + controlPort + ": " + e.getMessage());
                    return 1;
                }
            }
            started(node, out, control);
            Repl repl = new Repl(node, out, json);
            for (HostPort p : peers) {
                new SeedJoiner(
                                node.mesh(),
                                p.host(),
                                p.port(),
                                Duration.ofMillis(500),
                                joinMaxDelay,
                                SeedJoiner.SYSTEM,
                                RESOLVER,
                                message -> System.err.println("jv2p: " + message))
                        .start();
            }
            if (noStdin) {
                new java.util.concurrent.CountDownLatch(1).await(); // until SIGTERM runs the shutdown hook
            } else {
                repl.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
            }
        } finally {
            if (control != null) {
                control.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or ran: nothing to remove
            }
        }
        return 0;
    }

    private SyncConfig config(List<HostPort> peers) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, was " + port);
        }
        MeshConfig.Builder mesh = MeshConfig.builder()
                .bindHost(bind)
                .port(port)
                .maxPeers(maxPeers)
                .dialPeerLists(!noPeerDialing)
                .broadcastTree(broadcastTree)
                .protocol(new Protocol(subnet, transport, codec))
                .keepAliveInterval(keepAliveInterval)
                .keepAliveTimeout(keepAliveTimeout);
        if (advertise != null) {
            HostPort a = HostPort.parse(advertise);
            mesh.advertisedHost(a.host()).advertisedPort(a.port());
        } else if (isWildcard(bind)) {
            mesh.advertisedHost(ownAddress());
        }
        if (identityFile != null) {
            mesh.salt(NodeIds.loadOrCreateSalt(identityFile));
        }
        if ((keyFile != null || !allow.isEmpty()) && !"TLS".equals(transport)) {
            throw new IllegalArgumentException("--key-file and --allow need --transport TLS");
        }
        // with a data directory, a TLS node keeps its key there: its id comes from the key, whatever its address
        Path key = keyFile == null && dataDir != null && "TLS".equals(transport)
                ? dataDir.resolve("node-key.pem")
                : keyFile;
        if (key != null || !allow.isEmpty()) {
            dev.jv2p.transport.tls.TlsTransport.Builder tls = dev.jv2p.transport.tls.TlsTransport.builder();
            if (key != null) {
                tls.keyFile(key);
            }
            if (!allow.isEmpty()) {
                tls.allow(allow);
            }
            mesh.transport(tls.build());
        }
        wss(mesh);
        for (String j : join) {
            peers.add(HostPort.parse(j));
        }
        return SyncConfig.builder()
                .mesh(mesh.build())
                .subnet(subnet)
                .leasing(!noLeasing)
                .antiEntropyInterval(antiEntropyInterval)
                .dataDirectory(dataDir)
                .durability(durability())
                .build();
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /**
     * What a node bound to the wildcard announces without {@code --advertise}: the address its
     * host name resolves to. In a container (Docker, a Kubernetes pod) that is the container's
     * own address, so replicas started with the same arguments announce different addresses.
     */
    private String ownAddress() {
        InetAddress own;
        try {
            own = InetAddress.getLocalHost();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(
                    "--advertise HOST:PORT is required with --bind " + bind + ": this host's name does not resolve");
        }
        if (own.isLoopbackAddress()) {
            throw new IllegalArgumentException("--advertise HOST:PORT is required with --bind " + bind
                    + ": this host's name resolves to the loopback address " + own.getHostAddress());
        }
        return own.getHostAddress();
    }

    private Durability durability() {
        return switch (durability) {
            case "always" -> Durability.ALWAYS;
            case "group-commit" -> Durability.GROUP_COMMIT;
            case "os" -> Durability.OS;
            default ->
                throw new IllegalArgumentException(
                        "--durability must be always, group-commit or os, was " + durability);
        };
    }

    private void wss(MeshConfig.Builder mesh) {
        boolean any = wssCert != null || wssKey != null || wssTrust != null;
        if (any && !dev.jv2p.transport.ws.WssTransport.NAME.equals(transport)) {
            throw new IllegalArgumentException("--wss-cert, --wss-key and --wss-trust need --transport wss");
        }
        if ((wssCert == null) != (wssKey == null)) {
            throw new IllegalArgumentException("--wss-cert and --wss-key go together");
        }
        if (any) {
            dev.jv2p.transport.ws.WssTransport.Builder wss = dev.jv2p.transport.ws.WssTransport.builder();
            if (wssCert != null) {
                wss.certificate(wssCert, wssKey);
            }
            if (wssTrust != null) {
                wss.trust(wssTrust);
            }
            mesh.transport(wss.build());
        }
    }

    private void started(SyncSocket node, PrintStream out, ControlServer control) {
        String host = node.mesh().localAddress().getHostString();
        int p = node.mesh().localAddress().getPort();
        if (json) {
            ObjectNode o = ValueJson.MAPPER.createObjectNode();
            o.put("event", "started");
            o.put("id", node.id());
            o.put("host", host);
            o.put("port", p);
            o.put("protocolId", node.mesh().protocolId());
            if (control != null) {
                o.put("controlPort", control.port());
            }
            out.println(o);
        } else {
            out.println("node " + node.id() + " listening on " + host + ":" + p
                    + (control == null ? "" : " (control port " + control.port() + ")"));
        }
        out.flush();
    }
}
