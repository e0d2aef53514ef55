package dev.jv2p.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jv2p on the module path: {@code java --module-path <jars> -m dev.jv2p.cli/dev.jv2p.cli.Main},
 * no class path. The codec and one TLS transport are found only through the modules'
 * {@code uses}/{@code provides}; the other TLS transport is built from {@code --key-file}.
 */
class ModulePathIT {
    private static final Duration T = Duration.ofSeconds(15);
    private static final String MAIN = "dev.jv2p.cli/dev.jv2p.cli.Main";

    @Test
    void twoNodesOnTheModulePathShareTheirDictionaryOverTlsWithProtobuf(@TempDir Path dir) throws Exception {
        List<String> launch = List.of("--module-path", String.join(File.pathSeparator, modulePath()), "-m", MAIN);
        try (NodeProcess a = new NodeProcess(
                        launch,
                        "--transport",
                        "TLS",
                        "--codec",
                        "protobuf",
                        "--key-file",
                        dir.resolve("a.pem").toString());
                NodeProcess b = new NodeProcess(
                        launch, "--transport", "TLS", "--codec", "protobuf", "--join", "127.0.0.1:" + a.port())) {
            await().atMost(T).until(() -> b.call("peers").get("peers").size() == 1);
            assertTrue(a.call("set where {\"path\": \"module\"}").get("ok").asBoolean());
            await().atMost(T)
                    .until(() -> "module"
                            .equals(b.call("get where")
                                    .get("value")
                                    .path("path")
                                    .asText()));
            var status = b.call("status");
            assertEquals("TLS", status.get("transport").asText());
            assertEquals("protobuf", status.get("codec").asText());
            assertTrue(Files.size(dir.resolve("a.pem")) > 0, "a's key was written");
        }
    }

    @Test
    void theJv2pModulesAreNamedAndExportOnlyTheirApi() throws IOException {
        ModuleFinder finder =
                ModuleFinder.of(modulePath().stream().map(Path::of).toArray(Path[]::new));
        Map<String, Set<String>> api = Map.of(
                "dev.jv2p.mesh", Set.of("dev.jv2p.mesh", "dev.jv2p.mesh.spi"),
                "dev.jv2p.sync", Set.of("dev.jv2p.sync"),
                "dev.jv2p.codec.msgpack", Set.of("dev.jv2p.codec.msgpack"),
                "dev.jv2p.codec.protobuf", Set.of("dev.jv2p.codec.protobuf"),
                "dev.jv2p.transport.tls", Set.of("dev.jv2p.transport.tls"),
                "dev.jv2p.transport.ws", Set.of("dev.jv2p.transport.ws"),
                "dev.jv2p.cli", Set.of());
        api.forEach((name, exported) -> {
            ModuleDescriptor d = finder.find(name)
                    .orElseThrow(() -> new AssertionError(name + " not on the module path"))
                    .descriptor();
            assertFalse(d.isAutomatic(), name + " has a module-info");
            Set<String> unqualified = new TreeSet<>();
            d.exports().stream().filter(e -> !e.isQualified()).forEach(e -> unqualified.add(e.source()));
            assertEquals(new TreeSet<>(exported), unqualified, name + " exports");
        });
        Map<String, Set<String>> qualified = new TreeMap<>();
        finder.find("dev.jv2p.mesh").orElseThrow().descriptor().exports().stream()
                .filter(ModuleDescriptor.Exports::isQualified)
                .forEach(e -> qualified.put(e.source(), e.targets()));
        assertEquals(
                Map.of("dev.jv2p.mesh.internal", Set.of("dev.jv2p.sync", "dev.jv2p.transport.tls", "dev.jv2p.cli")),
                qualified,
                "dev.jv2p.mesh opens its internals to jv2p modules only");
        assertEquals(
                Set.of("dev.jv2p.mesh.spi.Codec", "dev.jv2p.mesh.spi.Compression", "dev.jv2p.mesh.spi.Transport"),
                finder.find("dev.jv2p.mesh").orElseThrow().descriptor().uses());
        assertEquals(
                List.of("dev.jv2p.transport.tls.SslTransport", "dev.jv2p.transport.tls.TlsTransport"),
                providers(finder, "dev.jv2p.transport.tls", "dev.jv2p.mesh.spi.Transport"));
        assertEquals(
                List.of("dev.jv2p.codec.protobuf.ProtobufCodec"),
                providers(finder, "dev.jv2p.codec.protobuf", "dev.jv2p.mesh.spi.Codec"));
    }

    private static List<String> providers(ModuleFinder finder, String module, String service) {
        return finder.find(module).orElseThrow().descriptor().provides().stream()
                .filter(p -> p.service().equals(service))
                .findFirst()
                .map(ModuleDescriptor.Provides::providers)
                .orElse(List.of());
    }

    /** This module's jar, then its runtime dependencies (the file the build writes for this test). */
    private static List<String> modulePath() throws IOException {
        List<String> path = new ArrayList<>();
        path.add(property("jv2p.moduleJar"));
        String deps = Files.readString(Path.of(property("jv2p.modulePathFile"))).strip();
        path.addAll(List.of(deps.split(File.pathSeparator)));
        return path;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set: run this test through Maven (failsafe, cli/pom.xml)");
        }
        return value;
    }
}
