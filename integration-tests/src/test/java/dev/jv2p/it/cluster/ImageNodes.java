package dev.jv2p.it.cluster;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * Nodes run as a user runs them: containers of the {@link UserImage} (its entrypoint, its
 * {@code /data} volume, here a named volume per node that outlives a kill), on one internal
 * network where every node answers to the shared alias {@value #SERVICE} (as replicas of one
 * Compose service or pods behind a headless service do) and to {@code node-<name>}. Each test
 * gets a fresh network; after it, logs go to {@code target/cluster-logs/<class>/<test>/} and
 * containers, volumes and the network are removed (Ryuk is off on machines without a registry).
 * The image is built once per run.
 */
final class ImageNodes implements BeforeEachCallback, AfterEachCallback {
    /** The name every node answers to, and the one they {@code --join}. */
    static final String SERVICE = "jv2p";

    private static final Logger LOG = LoggerFactory.getLogger(ImageNodes.class);

    private final List<ClusterNode> nodes = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();
    private UserImage image;
    private Network network;
    private String runId;
    private Path logDir;

    @Override
    public void beforeEach(ExtensionContext context) {
        image = context.getRoot()
                .getStore(ExtensionContext.Namespace.create(ImageNodes.class))
                .getOrComputeIfAbsent(UserImage.class, k -> UserImage.build(), UserImage.class);
        runId = UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        network = Network.builder()
                .createNetworkCmdModifier(c -> c.withInternal(true).withName("jv2p-it-" + runId))
                .build();
        logDir = Paths.get(System.getProperty(ClusterExtension.LOG_DIR_PROPERTY, "target/cluster-logs"))
                .resolve(context.getRequiredTestClass().getSimpleName())
                .resolve(context.getRequiredTestMethod().getName());
    }

    /**
     * Starts one node per name, in parallel, each with {@code jv2p node} arguments {@code args}
     * (after the image's own) and {@code --json}; returns them once each has started.
     */
    List<ClusterNode> start(List<String> names, String... args) {
        return start(names, name -> List.of(args));
    }

    /** Starts one node per name, in parallel, each with the arguments {@code argsOf} gives for its name. */
    List<ClusterNode> start(List<String> names, Function<String, List<String>> argsOf) {
        List<ClusterNode> started = new ArrayList<>();
        for (String name : names) {
            started.add(new ClusterNode(name, container(name, argsOf.apply(name))));
        }
        nodes.addAll(started);
        long t0 = System.nanoTime();
        Startables.deepStart(started.stream().map(ClusterNode::container)).join();
        LOG.info("{}: {} nodes started in {} ms", runId, started.size(), (System.nanoTime() - t0) / 1_000_000);
        return started;
    }

    private GenericContainer<?> container(String name, List<String> args) {
        String volume = "jv2p-it-" + runId + "-" + name;
        volumes.add(volume);
        List<String> cmd = new ArrayList<>(args);
        cmd.add("--json");
        @SuppressWarnings("resource") // stopped in afterEach
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image.name()))
                .withNetwork(network)
                .withNetworkAliases(SERVICE, ClusterNode.alias(name))
                .withCommand(cmd.toArray(String[]::new))
                .withCreateContainerCmdModifier(create -> {
                    create.withName("jv2p-it-" + runId + "-" + name);
                    create.getHostConfig()
                            .withBinds(new Bind(volume, new Volume("/data")))
                            // No lookup may leave the machine; unknown names fail in about a second.
                            .withDns("127.0.0.1")
                            .withDnsOptions(List.of("timeout:1", "attempts:1"));
                })
                .waitingFor(
                        Wait.forLogMessage(".*\"event\":\"started\".*", 1).withStartupTimeout(Cluster.START_TIMEOUT));
        return c;
    }

    /** Takes a (killed) node off the network: restarted, it sees no peer until {@link #reconnect}. */
    void disconnect(ClusterNode node) {
        docker().disconnectFromNetworkCmd()
                .withNetworkId(network.getId())
                .withContainerId(node.containerId())
                .withForce(true)
                .exec();
    }

    /** Puts the node back on the network under both of its names. */
    void reconnect(ClusterNode node) {
        docker().connectToNetworkCmd()
                .withNetworkId(network.getId())
                .withContainerId(node.containerId())
                .withContainerNetwork(new ContainerNetwork().withAliases(SERVICE, node.alias()))
                .exec();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (ClusterNode n : nodes) {
            saveLog(n);
            try {
                n.container().stop();
            } catch (RuntimeException e) {
                LOG.warn("{}: could not remove node {}: {}", runId, n.name(), e.toString());
            }
        }
        nodes.clear();
        for (String v : volumes) {
            try {
                docker().removeVolumeCmd(v).exec();
            } catch (RuntimeException e) {
                LOG.warn("{}: could not remove volume {}: {}", runId, v, e.toString());
            }
        }
        volumes.clear();
        network.close();
    }

    private void saveLog(ClusterNode n) {
        if (n.container().getContainerId() == null) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            Files.writeString(logDir.resolve(n.name() + ".log"), n.logs(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: could not save the log of node {}: {}", runId, n.name(), e.toString());
        }
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }
}
