package dev.jv2p.transport.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts any certificate, as js2p's {@code SSL} dialer does ({@code rejectUnauthorized:
 * false}). Extended, so that the JDK does not wrap it with its own algorithm checks: js2p
 * presents an RSA-1024 certificate signed with SHA-1 by node-forge.
 */
final class TrustAnyCertificate extends X509ExtendedTrustManager {
    static final TrustAnyCertificate INSTANCE = new TrustAnyCertificate();

    private TrustAnyCertificate() {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
