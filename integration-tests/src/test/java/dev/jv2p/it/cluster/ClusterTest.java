package dev.jv2p.it.cluster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * A test class that runs jv2p nodes in containers: skipped without Docker, failed without it
 * under CI ({@link DockerRequired} is evaluated first).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("containers")
@ExtendWith(DockerRequired.class)
@Testcontainers(disabledWithoutDocker = true)
public @interface ClusterTest {}
