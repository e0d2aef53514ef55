package dev.jv2p.examples;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Message;
import java.time.Duration;
import java.util.List;

/**
 * A chat over the mesh: three nodes, a broadcast to everyone and a whispered answer.
 *
 * <p>Run: {@code mvn -q install -DskipTests && mvn -q -pl examples exec:java -Dexec.mainClass=dev.jv2p.examples.ChatExample}
 */
public final class ChatExample {
    private ChatExample() {}

    /** Runs the example and prints what happened. */
    public static void main(String[] args) throws InterruptedException {
        System.out.println(run());
    }

    /** Runs the chat and returns the transcript. */
    public static String run() throws InterruptedException {
        StringBuilder transcript = new StringBuilder();
        try (MeshSocket alice = MeshSocket.start(MeshConfig.builder().port(0).build());
                MeshSocket bob = MeshSocket.start(MeshConfig.builder().port(0).build());
                MeshSocket carol = MeshSocket.start(MeshConfig.builder().port(0).build())) {
            int port = alice.localAddress().getPort();
            bob.connect("127.0.0.1", port).join();
            carol.connect("127.0.0.1", port).join();
            // A dial completes when the dialer has alice's handshake; alice may take a moment
            // more to list the dialer, and a broadcast goes to the peers listed when it is sent.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (alice.routingTable().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            alice.send(List.of("alice", "hello, everyone")); // a broadcast: everyone gets it once
            for (MeshSocket listener : List.of(bob, carol)) {
                Message m = listener.recv(Duration.ofSeconds(5));
                transcript
                        .append(name(listener, bob))
                        .append(" got: ")
                        .append(m.packets().get(2))
                        .append('\n');
                m.reply(List.of(name(listener, bob), "hi alice")); // a whisper back to the sender
            }
            for (int i = 0; i < 2; i++) {
                Message r = alice.recv(Duration.ofSeconds(5));
                transcript
                        .append("alice got a whisper from ")
                        .append(r.packets().get(1))
                        .append(": ")
                        .append(r.packets().get(2))
                        .append('\n');
            }
        }
        return transcript.toString();
    }

    private static String name(MeshSocket node, MeshSocket bob) {
        return node == bob ? "bob" : "carol";
    }
}
