package dev.jv2p.transport.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.SyncSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input over WebSocket: each case closes only the connection that sent it, with one log
 * line naming it, while a good peer of the same node stays connected and in sync.
 */
class WsBadInputTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final int LIMIT = 64 * 1024;

    private WsNodes nodes;
    private SyncSocket server;
    private SyncSocket good;
    private StderrLines log;

    @FunctionalInterface
    interface Abuse {
        void run(RawWsClient client) throws Exception;
    }

    @BeforeEach
    void start() throws Exception {
        nodes = new WsNodes();
        server = nodes.sync(WsTransport.builder()
                .maxMessageLength(LIMIT)
                .handshakeTimeout(Duration.ofMillis(500))
                .build());
        good = nodes.sync(new WsTransport());
        nodes.join(good.mesh(), server.mesh());
        log = new StderrLines();
    }

    @AfterEach
    void stop() throws Exception {
        log.close();
        nodes.close();
    }

    private void assertOnlyThatConnectionIsClosed(Abuse abuse) throws Exception {
        int port;
        try (RawWsClient bad = new RawWsClient(server.mesh().localAddress().getPort())) {
            port = bad.localPort();
            abuse.run(bad);
            assertTrue(bad.closedByServer(), "the server kept the bad connection open");
        }
        String peer = "127.0.0.1:" + port;
        await().atMost(T).until(() -> log.count("WebSocket peer", peer) >= 1);
        // any logger: the node must not add a line of its own about the same connection
        assertEquals(1, log.count(peer), "one log line about " + peer);
        assertTrue(server.mesh().routingTable().containsKey(good.id()));
        String key = "still-in-sync-" + port;
        good.set(key, "yes");
        await().atMost(T).until(() -> "yes".equals(server.get(key)));
    }

    private static void upgraded(RawWsClient c, String extraHeaders) throws Exception {
        String head = c.upgrade(extraHeaders);
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
    }

    @Test
    void aTextMessageClosesTheConnection() throws Exception {
        assertOnlyThatConnectionIsClosed(c -> {
            upgraded(c, "");
            byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
            c.frame(true, 0, RawWsClient.TEXT, text.length, text, true);
        });
    }

    @Test
    void aMessageAnnouncedOverTheLimitIsRefusedBeforeItsPayloadIsSent() throws Exception {
        assertOnlyThatConnectionIsClosed(c -> {
            upgraded(c, "");
            c.frame(true, 0, RawWsClient.BINARY, 100L * LIMIT, new byte[0], true); // header only
        });
    }

    @Test
    void aMessageOverTheLimitInFragmentsClosesTheConnection() throws Exception {
        assertOnlyThatConnectionIsClosed(c -> {
            upgraded(c, "");
            byte[] half = new byte[LIMIT / 2 + 1];
            half[2] = (byte) 0xEA; // starts a p2p.today frame of 60,000 bytes: the node waits for the rest
            half[3] = 0x60;
            c.frame(false, 0, RawWsClient.BINARY, half.length, half, true);
            c.frame(true, 0, RawWsClient.CONTINUATION, half.length, half, true);
        });
    }

    @Test
    void anOfferedExtensionIsDeclinedAndAFrameUsingItClosesTheConnection() throws Exception {
        assertOnlyThatConnectionIsClosed(c -> {
            String head = c.upgrade("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            assertFalse(head.toLowerCase().contains("sec-websocket-extensions"), head);
            byte[] deflated = {0x02, 0x00};
            c.frame(true, 4, RawWsClient.BINARY, deflated.length, deflated, true); // RSV1: compressed
        });
    }

    @Test
    void aRequestForASubprotocolIsRefused() throws Exception {
        assertOnlyThatConnectionIsClosed(c -> {
            String head = c.upgrade("Sec-WebSocket-Protocol: chat\r\n");
            assertTrue(head.startsWith("HTTP/1.1 400"), head);
        });
    }

    @Test
    void anUnmaskedClientFrameClosesTheConnection() throws Exception {
        assertOnlyThatConnectionIsClosed(c -> {
            upgraded(c, "");
            c.frame(true, 0, RawWsClient.BINARY, 4, new byte[] {0, 0, 0, 0}, false);
        });
    }

    @Test
    void aHandshakeThatStallsHalfWayIsClosedAfterTheTimeout() throws Exception {
        assertOnlyThatConnectionIsClosed(
                c -> c.send("GET / HTTP/1.1\r\nHost: 127.0".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheTimeout() throws Exception {
        assertOnlyThatConnectionIsClosed(c -> {});
    }

    @Test
    void aPlainHttpRequestIsRefused() throws Exception {
        assertOnlyThatConnectionIsClosed(
                c -> c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    }
}
