package dev.jv2p.mesh;

import dev.jv2p.mesh.internal.Plugins;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.spi.Network;
import dev.jv2p.mesh.spi.NodeIdentity;
import dev.jv2p.mesh.spi.Transport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The plugins a node runs with, chosen from its configuration: the codec and transport named
 * by its protocol (with the transport's identity and network), every compression it can accept (handed in first, then discovered, by flag)
 * and the ones it announces, in the configured order.
 */
record PluginSelection(
        Codec codec,
        Transport transport,
        Optional<NodeIdentity> identity,
        Network network,
        Map<Integer, Compression> supported,
        List<Compression> preference) {

    /** Selects the plugins {@code config} names; an unknown name fails with the names available. */
    static PluginSelection of(MeshConfig config) {
        Codec codec = Plugins.codec(config.protocol().codec(), config.codecs(), config.classLoader());
        Transport transport =
                Plugins.transport(config.protocol().encryption(), config.transports(), config.classLoader());
        Optional<NodeIdentity> identity = transport.identity();
        Network network = Objects.requireNonNull(transport.network(), "transport.network()");
        Map<Integer, Compression> supported = new LinkedHashMap<>();
        for (Compression c : config.compressions()) {
            supported.put(c.flag(), c);
        }
        Plugins.discover(Compression.class, c -> String.valueOf(c.flag()), config.classLoader())
                .forEach((k, v) -> supported.putIfAbsent(v.flag(), v));
        List<Compression> preference = new ArrayList<>();
        for (Integer flag : config.announcedCompression()) {
            Compression c = supported.get(flag);
            if (c == null) {
                throw new IllegalArgumentException(
                        "announced compression " + flag + " is not available; available: " + supported.keySet());
            }
            preference.add(c);
        }
        return new PluginSelection(codec, transport, identity, network, supported, preference);
    }
}
