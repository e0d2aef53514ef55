package dev.jv2p.transport.tls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.spi.NodeIdentity;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import org.junit.jupiter.api.Test;

/**
 * Prints what one Ed25519 signature and one check cost on this machine, with the
 * BouncyCastle code the dictionary uses and with the JDK's provider for comparison. A
 * measurement, not a timing assertion: the figures go into the design notes (SECURITY.md).
 */
class SignatureCostTest {
    private static final int WARMUP = 2000;
    private static final int RUNS = 3000;

    @Test
    void printsTheCostOfOneSignatureAndOneCheck() throws Exception {
        NodeIdentity bc = new Ed25519Identity(NodeKey.generate());
        byte[] message = new byte[44]; // a batch root message: 12-byte domain + 32-byte root
        byte[] sig = bc.sign(message);
        for (int i = 0; i < WARMUP; i++) {
            message[0] = (byte) i;
            sig = bc.sign(message);
            assertTrue(bc.verify(bc.nodeId(), message, sig));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < RUNS; i++) {
            message[0] = (byte) i;
            sig = bc.sign(message);
        }
        long t1 = System.nanoTime();
        boolean all = true;
        for (int i = 0; i < RUNS; i++) {
            all &= bc.verify(bc.nodeId(), message, sig);
        }
        long t2 = System.nanoTime();
        assertTrue(all);

        KeyPair jdkKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Signature signer = Signature.getInstance("Ed25519");
        Signature verifier = Signature.getInstance("Ed25519");
        byte[] jdkSig = null;
        for (int i = 0; i < WARMUP / 4; i++) {
            signer.initSign(jdkKeys.getPrivate());
            signer.update(message);
            jdkSig = signer.sign();
        }
        int jdkRuns = RUNS / 4;
        long t3 = System.nanoTime();
        for (int i = 0; i < jdkRuns; i++) {
            signer.initSign(jdkKeys.getPrivate());
            signer.update(message);
            jdkSig = signer.sign();
        }
        long t4 = System.nanoTime();
        for (int i = 0; i < jdkRuns; i++) {
            verifier.initVerify(jdkKeys.getPublic());
            verifier.update(message);
            all &= verifier.verify(jdkSig);
        }
        long t5 = System.nanoTime();
        assertTrue(all);
        System.out.printf(
                "[measure] Ed25519 BouncyCastle: sign %.1f us, verify %.1f us; JDK SunEC: sign %.1f us,"
                        + " verify %.1f us (%d runs each, after warm-up)%n",
                (t1 - t0) / 1e3 / RUNS,
                (t2 - t1) / 1e3 / RUNS,
                (t4 - t3) / 1e3 / jdkRuns,
                (t5 - t4) / 1e3 / jdkRuns,
                RUNS);
    }
}
