package dev.jv2p.cli;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshException;
import dev.jv2p.mesh.MeshListener;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jv2p node}: starts a node, joins peers, and reads commands from standard input. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Start a mesh node; type 'help' for its commands.")
final class NodeCommand implements Callable<Integer> {

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", defaultValue = "0", description = "Port to listen on; 0 picks a free one.")
    int port;

    @Option(names = "--advertise", description = "host:port announced to peers (default: the bound address).")
    String advertise;

    @Option(names = "--join", description = "host:port of a peer to join (repeatable).")
    List<String> join = new ArrayList<>();

    @Option(names = "--subnet", defaultValue = "mesh", description = "Subnet name (default: ${DEFAULT-VALUE}).")
    String subnet;

    @Option(names = "--no-peer-dialing", description = "Do not dial the peers that peers lists name.")
    boolean noPeerDialing;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        MeshConfig.Builder b = MeshConfig.builder().bindHost(bind).port(port)
                .protocol(new Protocol(subnet, Protocol.PLAINTEXT)).dialPeerLists(!noPeerDialing);
        List<HostPort> peers = new ArrayList<>();
        try {
            if (advertise != null) {
                HostPort a = HostPort.parse(advertise);
                b.advertisedHost(a.host()).advertisedPort(a.port());
            }
            for (String j : join) {
                peers.add(HostPort.parse(j));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("jv2p: " + e.getMessage());
            return 2;
        }
        MeshSocket node;
        try {
            node = MeshSocket.start(b.build());
        } catch (IllegalArgumentException | MeshException e) {
            System.err.println("jv2p: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "jv2p-shutdown"));
        try (node) {
            out.println("node " + node.id() + " listening on " + node.localAddress().getHostString() + ":"
                    + node.localAddress().getPort());
            for (HostPort p : peers) {
                node.connect(p.host(), p.port()).whenComplete((info, err) -> out.println(err == null
                        ? "joined " + info.id() + " at " + p
                        : "could not join " + p + ": " + err.getMessage()));
            }
            node.addListener(new MeshListener() {
                @Override
                public void onMessage(MeshSocket socket) {
                    Message m;
                    while ((m = socket.recv()) != null) {
                        out.println("message from " + m.sender() + ": " + m.packets().subList(1, m.packets().size()));
                    }
                }
            });
            repl(node, out);
        }
        return 0;
    }

    private static void repl(MeshSocket node, PrintStream out) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+", 2);
            switch (words[0]) {
                case "" -> { }
                case "send" -> node.send(List.of(words.length > 1 ? words[1] : ""));
                case "peers" -> node.routingTable().forEach((id, info) ->
                        out.println(id + " " + info.advertisedHost() + ":" + info.advertisedPort()));
                case "status" -> out.println("id " + node.id() + ", protocol " + node.protocolId() + ", peers "
                        + node.routingTable().size() + ", " + node.stats());
                case "help" -> out.println("commands: send TEXT | peers | status | quit");
                case "quit", "exit" -> {
                    return;
                }
                default -> out.println("unknown command '" + words[0] + "'; try 'help'");
            }
        }
    }
}
