package dev.jv2p.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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
    private final Process process;
    private final Writer stdin;
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
        process = new ProcessBuilder(cmd).start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readLoop, "node-stdout");
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(this::errorLoop, "node-stderr");
        errors.setDaemon(true);
        errors.start();
        started = events.poll(30, TimeUnit.SECONDS);
        if (started == null || !"started".equals(started.path("event").asText())) {
            close();
            throw new IllegalStateException("node did not start: " + started + "; its log: " + errorLines);
        }
    }

    private void readLoop() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                (n.has("event") ? events : answers).add(n);
            }
        } catch (IOException e) {
            // the process ended
        }
        // so that a node that exits at once fails its start now, not after the 30-s wait
        events.add(JSON.createObjectNode().put("event", "exited"));
    }

    /** Copies the node's log (stderr) to this JVM's stderr, keeping its lines for {@link #errorLines()}. */
    private void errorLoop() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                errorLines.add(line);
                System.err.println(line);
            }
        } catch (IOException e) {
            // the process ended
        }
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
        stdin.write(command + "\n");
        stdin.flush();
        JsonNode answer = answers.poll(15, TimeUnit.SECONDS);
        if (answer == null) {
            throw new IllegalStateException("no answer to '" + command + "'");
        }
        return answer;
    }

    /** Sends command lines without waiting; each one's answer is then read with {@link #nextAnswer}. */
    void send(List<String> commands) throws IOException {
        for (String c : commands) {
            stdin.write(c);
            stdin.write('\n');
        }
        stdin.flush();
    }

    /** The next answer line, or {@code null} if none came within {@code timeout}. */
    JsonNode nextAnswer(Duration timeout) throws InterruptedException {
        return answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    JsonNode nextEvent(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Process process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
