# The jv2p node image: the CLI (`jv2p node`) on a plain Java 17 runtime, its data directory a
# volume. Build the jar first, then the image, from the repository root:
#
#   mvn -B package -DskipTests -pl cli -am
#   docker build -t jv2p .
#
# A machine without a registry builds on a local Java 17 image instead:
#   docker build --build-arg BASE_IMAGE=jv2p-base:17 -t jv2p .
#
# Every argument of `docker run jv2p ...` is appended to `jv2p node`, e.g. `--join jv2p:4000`
# (a name with several addresses joins all of them) or `--durability always`. The node
# announces its container's own address unless given `--advertise`. `docker exec NAME jv2pctl
# "get KEY"` sends commands to the node's loopback control port. See docs/GUIDE.md, Containers.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

COPY cli/target/jv2p.jar /opt/jv2p/jv2p.jar
COPY docker/jv2pctl /usr/local/bin/jv2pctl
# The node runs as an unprivileged user that owns /data (and so a new named volume mounted there).
RUN chmod 0755 /usr/local/bin/jv2pctl \
 && useradd --system --uid 10001 --no-create-home --home-dir /data jv2p \
 && mkdir -p /data \
 && chown jv2p /data
USER 10001
VOLUME /data
EXPOSE 4000

ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/jv2p/jv2p.jar", "node", \
            "--bind", "0.0.0.0", "--port", "4000", "--data-dir", "/data", \
            "--control-port", "7000", "--no-stdin"]
