package dev.jv2p.transport.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates made with BouncyCastle's builder but signed and converted by the
 * JDK's own providers: the JDK TLS engine then handles them (a certificate converted by the BC
 * provider makes JDK TLS fail with "No available authentication scheme" for Ed25519).
 */
final class SelfSignedCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfSignedCertificates() {}

    /** A certificate for {@code key}, valid from an hour ago for {@code validity}. */
    static X509Certificate forKey(
            PrivateKey privateKey,
            PublicKey publicKey,
            String signatureAlgorithm,
            String commonName,
            Instant notBefore,
            Instant notAfter) {
        X500Name name = new X500Name("CN=" + commonName);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name, new BigInteger(64, RANDOM).abs(), Date.from(notBefore), Date.from(notAfter), name, publicKey);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
            }));
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(privateKey)));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e, e);
        }
    }

    /** The certificate of a node key, valid from a day ago for ten years: trust is in the key, not in dates. */
    static X509Certificate forNodeKey(NodeKey key) {
        Instant now = Instant.now();
        return forKey(
                key.privateKey,
                key.publicKey,
                "Ed25519",
                key.nodeId,
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3650)));
    }

    /** A throw-away P-256 key and certificate, for the unauthenticated {@code SSL} transport. */
    static Throwaway throwaway() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X509Certificate cert = forKey(
                    pair.getPrivate(),
                    pair.getPublic(),
                    "SHA256withECDSA",
                    "jv2p",
                    now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(365)));
            return new Throwaway(pair.getPrivate(), cert);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make P-256 keys", e);
        }
    }

    record Throwaway(PrivateKey key, X509Certificate certificate) {}
}
