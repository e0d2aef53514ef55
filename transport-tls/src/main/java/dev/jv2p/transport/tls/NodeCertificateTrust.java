package dev.jv2p.transport.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust by node key, for the {@code TLS} transport, on both sides of a connection: a peer's
 * certificate is accepted when it is currently valid, carries an Ed25519 key, is signed by
 * that key, and (with an allow-list) names a node id on the list. No certificate authority is
 * involved: the TLS handshake proves the peer holds the key, and the key is the node id. The
 * router then checks that the id the peer announces is that key's id.
 */
final class NodeCertificateTrust extends X509ExtendedTrustManager {
    private final Set<String> allowed;

    /** @param allowed the node ids that may connect; empty: any */
    NodeCertificateTrust(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /** The node id a peer's certificate proves, after checking it as described above. */
    String check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0 || chain[0] == null) {
            throw new CertificateException("the peer presented no certificate");
        }
        X509Certificate cert = chain[0];
        cert.checkValidity();
        byte[] raw = NodeKeyIds.rawKeyOf(cert.getPublicKey().getEncoded())
                .orElseThrow(() -> new CertificateException("the peer's certificate carries a "
                        + cert.getPublicKey().getAlgorithm() + " key, not an Ed25519 node key"));
        try {
            cert.verify(cert.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("the peer's certificate is not signed by its own key: " + e.getMessage(), e);
        }
        String id = NodeKeyIds.idOf(raw);
        if (!allowed.isEmpty() && !allowed.contains(id)) {
            throw new CertificateException("node " + id + " is not on the allow-list");
        }
        return id;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
