package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.Base58;
import dev.jv2p.mesh.internal.Hashes;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The identity of a mesh: subnet, encryption (transport name) and body codec. Nodes whose
 * protocol ids differ drop each other at the handshake.
 *
 * <p>For the {@code msgpack} codec the id is exactly p2p.today's:
 * {@code base58(SHA-256(subnet + encryption + "0.7"))}, so js2p peers match. For any other
 * codec {@code "/" + codec} is appended to the hashed text, so such meshes never mix with
 * msgpack ones.
 *
 * @param subnet the application's network name ({@code mesh} by default for a mesh socket)
 * @param encryption the transport name, {@code Plaintext}, {@code SSL}, ...
 * @param codec the body codec name, {@code msgpack} by default
 */
public record Protocol(String subnet, String encryption, String codec) {

    /** The p2p.today protocol version string hashed into every id. */
    public static final String VERSION = "0.7";
    /** The codec that speaks js2p's wire format. */
    public static final String DEFAULT_CODEC = "msgpack";
    /** The transport of js2p's {@code Plaintext} meshes. */
    public static final String PLAINTEXT = "Plaintext";

    /** Checks that every part is given and that transport and codec names are not empty. */
    public Protocol {
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(encryption, "encryption");
        Objects.requireNonNull(codec, "codec");
        if (encryption.isEmpty()) {
            throw new IllegalArgumentException("encryption must not be empty");
        }
        if (codec.isEmpty()) {
            throw new IllegalArgumentException("codec must not be empty");
        }
    }

    /** A protocol with the default {@code msgpack} codec. */
    public Protocol(String subnet, String encryption) {
        this(subnet, encryption, DEFAULT_CODEC);
    }

    /** {@code mesh}, {@code Plaintext}, {@code msgpack}: what js2p's MeshSocket uses. */
    public static Protocol defaultMesh() {
        return new Protocol("mesh", PLAINTEXT);
    }

    /** The same protocol with another subnet. */
    public Protocol withSubnet(String newSubnet) {
        return new Protocol(newSubnet, encryption, codec);
    }

    /** The same protocol with another codec. */
    public Protocol withCodec(String newCodec) {
        return new Protocol(subnet, encryption, newCodec);
    }

    /** The same protocol with another transport. */
    public Protocol withEncryption(String newEncryption) {
        return new Protocol(subnet, newEncryption, codec);
    }

    /** The text hashed into the id. */
    public String hashInput() {
        String base = subnet + encryption + VERSION;
        return DEFAULT_CODEC.equals(codec) ? base : base + "/" + codec;
    }

    /** The protocol id carried in handshakes. */
    public String id() {
        return Base58.encode(Hashes.sha256(hashInput().getBytes(StandardCharsets.UTF_8)));
    }
}
