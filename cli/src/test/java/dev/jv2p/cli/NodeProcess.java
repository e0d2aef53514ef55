package dev.jv2p.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jv2p.testsupport.LineProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code java -jar jv2p.jar node --json} process driven over stdin/stdout (or one launched
 * otherwise, e.g. from the module path, with {@link #NodeProcess(List, String...)}).
 */
final class NodeProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LineProcess process;
    private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<String> errorLines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final JsonNode started;

    NodeProcess(String... extraArgs) throws IOException, InterruptedException {
        this(List.of("-jar", System.getProperty("jv2p.jar", "target/jv2p.jar")), extraArgs);
    }

    /** Runs {@code java <launch> node --json <extraArgs>}, e.g. launch = {@code --module-path P -m module/main}. */
    NodeProcess(List<String> launch, String... extraArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(launch);
        cmd.addAll(List.of("node", "--json"));
        if (!List.of(extraArgs).contains("--port")) {
            cmd.addAll(List.of("--port", "0"));
        }
        cmd.addAll(List.of(extraArgs));
        process = LineProcess.start(new ProcessBuilder(cmd), "node", this::onLine, this::onErrorLine, this::onEnd);
        started = events.poll(30, TimeUnit.SECONDS);
        if (started == null || !"started".equals(started.path("event").asText())) {
            close();
            throw new IllegalStateException("node did not start: " + started + "; its log: " + errorLines);
        }
    }

    private void onLine(String line) throws IOException {
        JsonNode n = JSON.readTree(line);
        (n.has("event") ? events : answers).add(n);
    }

    /** So that a node that exits at once fails its start now, not after the 30-s wait. */
    private void onEnd() {
        events.add(JSON.createObjectNode().put("event", "exited"));
    }

    /** Copies the node's log (stderr) to this JVM's stderr, keeping its lines for {@link #errorLines()}. */
    private void onErrorLine(String line) {
        errorLines.add(line);
        System.err.println(line);
    }

    /** The lines the node has logged so far. */
    List<String> errorLines() {
        return List.copyOf(errorLines);
    }

    JsonNode started() {
        return started;
    }

    int port() {
        return started.get("port").asInt();
    }

    String id() {
        return started.get("id").asText();
    }

    /** Sends one command and returns its one answer line. */
    JsonNode call(String command) throws IOException, InterruptedException {
        process.send(command);
        JsonNode answer = answers.poll(15, TimeUnit.SECONDS);
        if (answer == null) {
            throw new IllegalStateException("no answer to '" + command + "'");
        }
        return answer;
    }

    /** Sends command lines without waiting; each one's answer is then read with {@link #nextAnswer}. */
    void send(List<String> commands) throws IOException {
        process.sendAll(commands);
    }

    /** The next answer line, or {@code null} if none came within {@code timeout}. */
    JsonNode nextAnswer(Duration timeout) throws InterruptedException {
        return answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    JsonNode nextEvent(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Process process() {
        return process.process();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
