package dev.jv2p.transport.ws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A hand-written WebSocket client over a plain socket, to send what a real client never would. */
final class RawWsClient implements AutoCloseable {
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CONTINUATION = 0;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawWsClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000); // a safety net only: tests wait for the server to close
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    int localPort() {
        return socket.getLocalPort();
    }

    /** Sends an upgrade request with {@code extraHeaders} (each ending in CRLF) and returns the response head. */
    String upgrade(String extraHeaders) throws IOException {
        send(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders
                        + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** A frame header (and payload, if given) with a zero mask unless {@code masked} is false. */
    void frame(boolean fin, int rsv, int opcode, long announcedLength, byte[] payload, boolean masked)
            throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int mask = masked ? 0x80 : 0;
        if (announcedLength < 126) {
            f.write(mask | (int) announcedLength);
        } else if (announcedLength < 65536) {
            f.write(mask | 126);
            f.write((int) (announcedLength >> 8));
            f.write((int) announcedLength);
        } else {
            f.write(mask | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) (announcedLength >> (8 * i)));
            }
        }
        if (masked) {
            f.write(new byte[4]); // a zero mask leaves the payload as it is
        }
        f.write(payload);
        send(f.toByteArray());
    }

    /** Reads until the server closes; true if it did (a reset counts), false on the safety timeout. */
    boolean closedByServer() {
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // drain: a close frame or an HTTP error may come first
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
