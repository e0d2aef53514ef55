package dev.jv2p.it.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The image users build, from the repository's own {@code Dockerfile}: the build context is
 * exactly the files it copies ({@code cli/target/jv2p.jar}, {@code docker/jv2pctl}), and the
 * base image is {@code jv2p.it.baseImage} passed as its {@code BASE_IMAGE} argument (CI machines
 * reach no registry and name a locally built one). Removed at the end of the run.
 */
final class UserImage implements AutoCloseable {
    /** The repository root, seen from integration-tests (where failsafe runs the tests). */
    private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();

    private static final Logger LOG = LoggerFactory.getLogger(UserImage.class);

    private final String name;

    private UserImage(String name) {
        this.name = name;
    }

    static UserImage build() {
        Path jar = Paths.get(System.getProperty(NodeImage.JAR_PROPERTY, "../cli/target/jv2p.jar"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "node jar not found: " + jar + " (build it first: mvn -B package -DskipTests -pl cli -am)");
        }
        String base = System.getProperty(NodeImage.BASE_IMAGE_PROPERTY, NodeImage.DEFAULT_BASE_IMAGE);
        String name =
                "jv2p-it-user:" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        long start = System.nanoTime();
        new ImageFromDockerfile(name, false)
                .withFileFromPath("Dockerfile", ROOT.resolve("Dockerfile"))
                .withFileFromPath("cli/target/jv2p.jar", jar)
                .withFileFromPath("docker/jv2pctl", NodeImage.JV2PCTL)
                .withBuildArg("BASE_IMAGE", base)
                .get();
        LOG.info("built user image {} on {} in {} ms", name, base, (System.nanoTime() - start) / 1_000_000);
        return new UserImage(name);
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        NodeImage.remove(name, "user image");
    }
}
