package dev.jv2p.it.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The node image of one test run: {@code cli/target/jv2p.jar} and the {@code jv2pctl} helper
 * ({@code docker/jv2pctl}, as in the user image) on
 * a Java 17 base image. It is built when first needed and removed at the end of the run.
 *
 * <p>System properties (set by the pom): {@code jv2p.it.jar}, the node jar, and
 * {@code jv2p.it.baseImage}, the base image (default {@code eclipse-temurin:17-jre}; CI
 * machines reach no registry and name a locally built one). The base image is pulled only if
 * it is not present, exactly as {@code docker build} would.
 */
final class NodeImage implements AutoCloseable {
    static final String JAR_PROPERTY = "jv2p.it.jar";
    static final String BASE_IMAGE_PROPERTY = "jv2p.it.baseImage";
    static final String DEFAULT_BASE_IMAGE = "eclipse-temurin:17-jre";
    /** Where the image keeps the jar; the identity file lives next to it and survives restarts. */
    static final String NODE_DIR = "/opt/jv2p";

    private static final Logger LOG = LoggerFactory.getLogger(NodeImage.class);

    /** The control script of the user image ({@code docker/jv2pctl}), seen from integration-tests. */
    static final Path JV2PCTL =
            Paths.get("..", "docker", "jv2pctl").toAbsolutePath().normalize();

    /**
     * Security properties for the node JVMs: cache DNS answers for a second and failures not
     * at all (the JDK keeps failures 10 s), because cut and restarted nodes come back under
     * new addresses and the heal bound should not include stale lookups.
     */
    private static final String DNS_CACHE = "networkaddress.cache.ttl=1\nnetworkaddress.cache.negative.ttl=0\n";

    private final String name;

    private NodeImage(String name) {
        this.name = name;
    }

    /** Builds the image; fails with the command to run when the jar has not been built. */
    static NodeImage build() {
        Path jar = Paths.get(System.getProperty(JAR_PROPERTY, "../cli/target/jv2p.jar"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "node jar not found: " + jar + " (build it first: mvn -B package -DskipTests -pl cli -am)");
        }
        String base = System.getProperty(BASE_IMAGE_PROPERTY, DEFAULT_BASE_IMAGE);
        String name =
                "jv2p-it-node:" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        long start = System.nanoTime();
        new ImageFromDockerfile(name, false)
                .withFileFromPath("jv2p.jar", jar)
                .withFileFromPath("jv2pctl", JV2PCTL)
                .withFileFromString("dns.security", DNS_CACHE)
                .withDockerfileFromBuilder(d -> d.from(base)
                        .copy("jv2p.jar", NODE_DIR + "/jv2p.jar")
                        .copy("jv2pctl", "/usr/local/bin/jv2pctl")
                        .run("chmod 0755 /usr/local/bin/jv2pctl")
                        .copy("dns.security", NODE_DIR + "/dns.security")
                        .build())
                .get();
        LOG.info(
                "built node image {} from {} on {} in {} ms", name, jar, base, (System.nanoTime() - start) / 1_000_000);
        return new NodeImage(name);
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        remove(name, "node image");
    }

    /** Removes the image {@code name}, logging (not throwing) if the engine refuses. */
    static void remove(String name, String what) {
        try {
            DockerClientFactory.instance()
                    .client()
                    .removeImageCmd(name)
                    .withForce(true)
                    .exec();
            LOG.info("removed {} {}", what, name);
        } catch (RuntimeException e) {
            LOG.warn("could not remove {} {}: {}", what, name, e.toString());
        }
    }
}
