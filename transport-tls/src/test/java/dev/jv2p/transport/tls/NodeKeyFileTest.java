package dev.jv2p.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void aMissingKeyFileIsCreatedOwnerReadableOnlyAndReadBackAsTheSameIdentity() throws Exception {
        Path file = dir.resolve("keys/node.key");
        String id = TlsTransport.builder().keyFile(file).build().nodeId();
        assertTrue(Files.readString(file).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        assertEquals(id, TlsTransport.builder().keyFile(file).build().nodeId());
    }

    @Test
    void aKeyMadeByAnotherToolIsAccepted() throws Exception {
        // PKCS#8 as the JDK (and openssl genpkey -algorithm ed25519) writes it
        byte[] der = KeyPairGenerator.getInstance("Ed25519")
                .generateKeyPair()
                .getPrivate()
                .getEncoded();
        Path file = dir.resolve("jdk.key");
        Files.writeString(
                file,
                "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                        + "\n-----END PRIVATE KEY-----\n");
        assertTrue(
                NodeKeyIds.isKeyId(TlsTransport.builder().keyFile(file).build().nodeId()));
    }

    @Test
    void aCorruptKeyFileIsAClearErrorAndNoNode() throws Exception {
        Path file = dir.resolve("corrupt.key");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        KeyFileException e = assertThrows(
                KeyFileException.class,
                () -> TlsTransport.builder().keyFile(file).build());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(
                "bm90IGEga2V5",
                Files.readString(file).lines().skip(1).findFirst().orElseThrow(),
                "a bad key file is never overwritten");
    }

    @Test
    void aFileThatIsNotPemIsAClearError() throws Exception {
        Path file = dir.resolve("garbage.key");
        Files.write(file, new byte[] {0, 1, 2, 3, (byte) 0xff});
        KeyFileException e = assertThrows(
                KeyFileException.class,
                () -> TlsTransport.builder().keyFile(file).build());
        assertTrue(e.getMessage().contains("PRIVATE KEY") || e.getMessage().contains("PEM"), e.getMessage());
    }

    @Test
    void aKeyOfAnotherAlgorithmIsAClearError() throws Exception {
        byte[] der = KeyPairGenerator.getInstance("EC")
                .generateKeyPair()
                .getPrivate()
                .getEncoded();
        Path file = dir.resolve("ec.key");
        Files.writeString(
                file,
                "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                        + "\n-----END PRIVATE KEY-----\n",
                StandardCharsets.US_ASCII);
        KeyFileException e = assertThrows(
                KeyFileException.class,
                () -> TlsTransport.builder().keyFile(file).build());
        assertTrue(e.getMessage().contains("not an Ed25519 key"), e.getMessage());
    }

    @Test
    void anUnreadableKeyFileIsAClearError() throws Exception {
        Path file = dir.resolve("a-directory.key");
        Files.createDirectory(file);
        KeyFileException e = assertThrows(
                KeyFileException.class,
                () -> TlsTransport.builder().keyFile(file).build());
        assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
    }

    @Test
    void nodeIdsAreTheCanonicalBase58OfTheRawKeyAndDecodeBack() {
        byte[] key = new byte[32];
        key[0] = 0; // a leading zero byte, which p2p.today base58 drops
        key[31] = 7;
        String id = NodeKeyIds.idOf(key);
        assertEquals(Optional.of(32), NodeKeyIds.publicKeyOf(id).map(k -> k.length));
        assertTrue(java.util.Arrays.equals(key, NodeKeyIds.publicKeyOf(id).orElseThrow()));
        assertFalse(NodeKeyIds.isKeyId("1" + id), "a second spelling of the same key is not an id");
        assertFalse(NodeKeyIds.isKeyId("0OIl"), "not base58");
        assertFalse(NodeKeyIds.isKeyId("z".repeat(45)), "more than 32 bytes");
    }
}
