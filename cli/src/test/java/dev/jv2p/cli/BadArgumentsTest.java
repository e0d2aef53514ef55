package dev.jv2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad command lines: one clear line on stderr and a non-zero exit, nothing started. */
class BadArgumentsTest {

    private record Outcome(int code, String stderr) {}

    private static Outcome run(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Outcome(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void anUnknownOptionIsRefused() {
        Outcome o = run("node", "--frobnicate");
        assertNotEquals(0, o.code());
        assertTrue(o.stderr().contains("Unknown option: '--frobnicate'"), o.stderr());
    }

    @Test
    void aPortThatIsNotANumberIsRefused() {
        Outcome o = run("node", "--port", "eighty");
        assertNotEquals(0, o.code());
        assertTrue(o.stderr().contains("--port"), o.stderr());
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        Outcome o = run("node", "--port", "70000");
        assertEquals(2, o.code());
        assertTrue(o.stderr().startsWith("jv2p: --port must be 0..65535"), o.stderr());
    }

    @Test
    void anUnknownCodecIsRefusedWithTheAvailableOnes() {
        Outcome o = run("node", "--codec", "yaml");
        assertEquals(1, o.code());
        assertTrue(o.stderr().contains("unknown codec 'yaml'; available: [msgpack"), o.stderr());
    }

    @Test
    void anUnknownTransportIsRefusedNotReplacedByPlaintext() {
        Outcome o = run("node", "--transport", "Carrier-Pigeon");
        assertEquals(1, o.code());
        assertTrue(o.stderr().contains("unknown transport 'Carrier-Pigeon'; available: ["), o.stderr());
    }

    @Test
    void aPortInUseIsReportedInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome o = run("node", "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(1, o.code());
            assertTrue(o.stderr().startsWith("jv2p: cannot listen on 127.0.0.1:" + taken.getLocalPort()), o.stderr());
            assertEquals(1, o.stderr().strip().lines().count(), o.stderr());
        }
    }

    @Test
    void aMalformedJoinAddressIsRefused() {
        Outcome o = run("node", "--join", "no-port-here");
        assertEquals(2, o.code());
        assertTrue(o.stderr().contains("expected host:port"), o.stderr());
    }

    @Test
    void anUnknownLogLevelIsRefused() {
        Outcome o = run("node", "--log-level", "loud");
        assertEquals(2, o.code());
        assertTrue(o.stderr().contains("--log-level"), o.stderr());
    }

    @Test
    void aDurationWithoutAUnitIsRefused() {
        Outcome o = run("node", "--anti-entropy-interval", "10");
        assertNotEquals(0, o.code());
        assertTrue(o.stderr().contains("'10' needs a unit: ms, s or m"), o.stderr());
    }

    @Test
    void aZeroKeepAliveTimeoutIsRefused() {
        Outcome o = run("node", "--keep-alive-timeout", "0s");
        assertNotEquals(0, o.code());
        assertTrue(o.stderr().contains("'0s' must be longer than zero"), o.stderr());
    }

    @Test
    void aKeepAliveTimeoutShorterThanTheIntervalIsRefused() {
        Outcome o = run("node", "--keep-alive-interval", "5s", "--keep-alive-timeout", "2s");
        assertEquals(2, o.code());
        assertTrue(o.stderr().startsWith("jv2p: ") && o.stderr().contains("keepAliveTimeout"), o.stderr());
    }

    @Test
    void aKeyFileWithoutTlsIsRefused() {
        Outcome o = run("node", "--key-file", "/nonexistent/key.pem");
        assertEquals(2, o.code());
        assertTrue(o.stderr().contains("--key-file and --allow need --transport TLS"), o.stderr());
    }

    @Test
    void aCorruptKeyFileIsRefusedBeforeAnythingStarts() throws Exception {
        java.nio.file.Path key = java.nio.file.Files.createTempFile("jv2p-bad", ".pem");
        try {
            java.nio.file.Files.writeString(key, "this is not a key");
            Outcome o = run("node", "--transport", "TLS", "--key-file", key.toString());
            assertEquals(2, o.code());
            assertTrue(o.stderr().startsWith("jv2p: "), o.stderr());
            assertEquals(1, o.stderr().strip().lines().count(), o.stderr());
        } finally {
            java.nio.file.Files.deleteIfExists(key);
        }
    }

    @Test
    void wssOptionsWithoutWssAreRefused() {
        Outcome o = run("node", "--transport", "ws", "--wss-trust", "/nonexistent/ca.pem");
        assertEquals(2, o.code());
        assertTrue(o.stderr().contains("--wss-cert, --wss-key and --wss-trust need --transport wss"), o.stderr());
    }

    @Test
    void aWssCertificateThatCannotBeReadIsRefusedNamingTheFileBeforeAnythingStarts() {
        Outcome o = run(
                "node",
                "--transport",
                "wss",
                "--wss-cert",
                "/nonexistent/cert.pem",
                "--wss-key",
                "/nonexistent/key.pem");
        assertEquals(2, o.code());
        assertTrue(o.stderr().startsWith("jv2p: cannot read the wss certificate /nonexistent/cert.pem"), o.stderr());
        assertEquals(1, o.stderr().strip().lines().count(), o.stderr());
    }

    @Test
    void aWssCertificateWithoutItsKeyIsRefused() {
        Outcome o = run("node", "--transport", "wss", "--wss-cert", "/nonexistent/cert.pem");
        assertEquals(2, o.code());
        assertTrue(o.stderr().contains("--wss-cert and --wss-key go together"), o.stderr());
    }

    @Test
    void demoRefusesTooFewNodes() {
        Outcome o = run("demo", "--nodes", "1");
        assertEquals(2, o.code());
    }
}
