package dev.jv2p.mesh.internal;

import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.Compression;
import dev.jv2p.mesh.spi.Transport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds codecs, transports and compression methods: instances handed in explicitly first,
 * then providers on the class path through {@link ServiceLoader}. Two discovered providers
 * with the same name are refused (the error names both classes); a provider that fails to
 * load is logged and skipped.
 */
public final class Plugins {
    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

    private Plugins() {}

    /** Selects the codec named {@code name}. */
    public static Codec codec(String name, Collection<? extends Codec> explicit, ClassLoader loader) {
        return select(Codec.class, "codec", name, explicit, Codec::name, loader);
    }

    /** Selects the transport named {@code name} (the protocol's encryption string). */
    public static Transport transport(String name, Collection<? extends Transport> explicit, ClassLoader loader) {
        return select(Transport.class, "transport", name, explicit, Transport::name, loader);
    }

    /** Selects the compression method with p2p.today id {@code flag}. */
    public static Compression compression(int flag, Collection<? extends Compression> explicit, ClassLoader loader) {
        return select(
                Compression.class,
                "compression",
                String.valueOf(flag),
                explicit,
                c -> String.valueOf(c.flag()),
                loader);
    }

    /** Every provider of {@code type} on the class path, by name; duplicates refused. */
    public static <T> Map<String, T> discover(Class<T> type, Function<T, String> naming, ClassLoader loader) {
        Map<String, T> found = new LinkedHashMap<>();
        Iterator<T> it = ServiceLoader.load(type, loader).iterator();
        while (true) {
            T provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                LOG.warn("skipping a {} provider that failed to load: {}", type.getSimpleName(), e.getMessage());
                continue;
            }
            String name = naming.apply(provider);
            T previous = found.putIfAbsent(name, provider);
            if (previous != null && previous.getClass() != provider.getClass()) {
                throw new IllegalStateException("two " + type.getSimpleName() + " providers are named '" + name
                        + "': " + previous.getClass().getName() + " and "
                        + provider.getClass().getName()
                        + "; remove one from the class path or pass the one you want explicitly");
            }
        }
        return found;
    }

    private static <T> T select(
            Class<T> type,
            String what,
            String name,
            Collection<? extends T> explicit,
            Function<T, String> naming,
            ClassLoader loader) {
        List<T> matches = new ArrayList<>();
        for (T candidate : explicit) {
            if (naming.apply(candidate).equals(name)) {
                matches.add(candidate);
            }
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("several explicit " + what + "s are named '" + name + "'");
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        Map<String, T> discovered = discover(type, naming, loader);
        T chosen = discovered.get(name);
        if (chosen == null) {
            TreeSet<String> names = new TreeSet<>(discovered.keySet());
            for (T candidate : explicit) {
                names.add(naming.apply(candidate));
            }
            throw new IllegalArgumentException("unknown " + what + " '" + name + "'; available: " + names);
        }
        return chosen;
    }
}
