package dev.jv2p.examples;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * A mesh speaking a custom codec, {@link TaggedMsgpackCodec}, found through
 * {@link java.util.ServiceLoader} by its name alone. A node of the default codec cannot join
 * it: the codec is part of the protocol id.
 *
 * <p>Run: {@code mvn -q install -DskipTests && mvn -q -pl examples exec:java -Dexec.mainClass=dev.jv2p.examples.CustomCodecExample}
 */
public final class CustomCodecExample {
    private CustomCodecExample() {}

    /** Runs the example and prints what happened. */
    public static void main(String[] args) throws InterruptedException {
        System.out.println(run());
    }

    /** Runs the example and returns what happened, line by line. */
    public static String run() throws InterruptedException {
        Protocol tagged = new Protocol("chat", "Plaintext", TaggedMsgpackCodec.NAME);
        StringBuilder out = new StringBuilder();
        try (MeshSocket a =
                        MeshSocket.start(MeshConfig.builder().protocol(tagged).build());
                MeshSocket b =
                        MeshSocket.start(MeshConfig.builder().protocol(tagged).build());
                MeshSocket plain = MeshSocket.start(MeshConfig.builder()
                        .protocol(new Protocol("chat", "Plaintext"))
                        .handshakeTimeout(Duration.ofSeconds(2))
                        .build())) {
            int port = a.localAddress().getPort();
            b.connect("127.0.0.1", port).join(); // b lists a once this returns: b may broadcast
            b.send(List.of("hello in " + b.status().codec()));
            Message m = a.recv(Duration.ofSeconds(5));
            out.append("a got: ").append(m.packets().get(1)).append('\n');
            try {
                plain.connect("127.0.0.1", port).join();
                out.append("a msgpack node joined (unexpected)\n");
            } catch (CompletionException e) {
                out.append("a msgpack node cannot join: protocol ")
                        .append(plain.protocolId())
                        .append(" is not ")
                        .append(a.protocolId())
                        .append('\n');
            }
        }
        return out.toString();
    }
}
