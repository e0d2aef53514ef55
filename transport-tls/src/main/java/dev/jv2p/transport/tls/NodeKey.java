package dev.jv2p.transport.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A node's Ed25519 key pair: as JDK key objects for the TLS engine (the JDK's TLS handshakes
 * with JDK EdDSA keys, see toolchain notes) and as BouncyCastle parameters for fast
 * application signatures. Stored as an unencrypted PKCS#8 PEM file ({@code PRIVATE KEY}, the
 * format of {@code openssl genpkey -algorithm ed25519}), readable by its owner only where the
 * file system supports POSIX permissions. Immutable.
 */
final class NodeKey {
    private static final String PEM_TYPE = "PRIVATE KEY";
    private static final long MAX_FILE = 64 * 1024;

    final PrivateKey privateKey;
    final PublicKey publicKey;
    final byte[] rawPublicKey;
    final Ed25519PrivateKeyParameters signingKey;
    final String nodeId;

    private NodeKey(byte[] seed) throws GeneralSecurityException {
        this.signingKey = new Ed25519PrivateKeyParameters(seed, 0);
        this.rawPublicKey = signingKey.generatePublicKey().getEncoded();
        KeyFactory factory = KeyFactory.getInstance("Ed25519");
        this.privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8(seed)));
        this.publicKey = factory.generatePublic(new X509EncodedKeySpec(NodeKeyIds.spkiOf(rawPublicKey)));
        this.nodeId = NodeKeyIds.idOf(rawPublicKey);
    }

    /** A fresh key that lives only as long as this process. */
    static NodeKey generate() {
        byte[] seed = new byte[Ed25519PrivateKeyParameters.KEY_SIZE];
        new SecureRandom().nextBytes(seed);
        try {
            return new NodeKey(seed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make Ed25519 keys", e);
        }
    }

    /**
     * Loads the key in {@code file}, or, if there is no such file, makes a key and writes it
     * there (creating parent directories). Never overwrites a file.
     *
     * @throws KeyFileException if the file cannot be read, is not an Ed25519 PKCS#8 PEM key, or
     *     cannot be created
     */
    static NodeKey loadOrCreate(Path file) {
        if (Files.exists(file)) {
            return load(file);
        }
        NodeKey key = generate();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createFile(
                        file,
                        PosixFilePermissions.asFileAttribute(Set.of(
                                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, key.toPem(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            return load(file); // another process made it first: use theirs
        } catch (IOException e) {
            throw new KeyFileException(file, "cannot be created: " + e.getMessage(), e);
        }
        return key;
    }

    static NodeKey load(Path file) {
        String pem;
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new KeyFileException(file, "is " + Files.size(file) + " bytes, too large to be a key file", null);
            }
            pem = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new KeyFileException(file, "cannot be read: " + e, e);
        }
        try {
            return new NodeKey(seedOf(pem));
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(file, e.getMessage(), e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeyFileException(file, "does not hold a usable Ed25519 private key (" + e + ")", e);
        }
    }

    private static byte[] seedOf(String pem) {
        Object parsed;
        try (Reader r = new StringReader(pem);
                PEMParser parser = new PEMParser(r)) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "is not a PEM file with a \"" + PEM_TYPE + "\" block (" + e.getMessage() + ")", e);
        }
        if (!(parsed instanceof PrivateKeyInfo info)) {
            throw new IllegalArgumentException("does not hold a PKCS#8 \"" + PEM_TYPE + "\" PEM block"
                    + (parsed == null ? "" : " (found " + parsed.getClass().getSimpleName() + ")"));
        }
        if (!EdECObjectIdentifiers.id_Ed25519.equals(
                info.getPrivateKeyAlgorithm().getAlgorithm())) {
            throw new IllegalArgumentException("holds a "
                    + info.getPrivateKeyAlgorithm().getAlgorithm() + " key, not an Ed25519 key (1.3.101.112)");
        }
        byte[] seed;
        try {
            seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("holds a malformed Ed25519 key (" + e.getMessage() + ")", e);
        }
        if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("holds an Ed25519 key of " + seed.length + " bytes, not 32");
        }
        return seed;
    }

    private static byte[] pkcs8(byte[] seed) {
        try {
            return new PrivateKeyInfo(
                            new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                            new org.bouncycastle.asn1.DEROctetString(seed))
                    .getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String toPem() {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(PEM_TYPE, pkcs8(signingKey.getEncoded())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
