package dev.jv2p.cli;

import dev.jv2p.sync.SyncSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A loopback-only control socket: each connection speaks the REPL's line protocol with JSON
 * answers, so scripts (and container tests, through {@code /dev/tcp}) can drive a node that
 * runs in the background. Only processes on the same host can reach it.
 */
final class ControlServer implements AutoCloseable {
    private final ServerSocket server;
    private final SyncSocket node;

    ControlServer(SyncSocket node, int port) throws IOException {
        this.node = node;
        this.server = new ServerSocket(port, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "jv2p-control");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "jv2p-control-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s;
                PrintStream out = new PrintStream(s.getOutputStream(), true, StandardCharsets.UTF_8);
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                Repl repl = new Repl(node, out, true)) {
            repl.run(in);
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
