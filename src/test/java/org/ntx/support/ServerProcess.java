package org.ntx.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged server in a JVM of its own, as an operator runs it ({@code java -jar}), for tests that need a second
 * process: two nodes on one database. Needs the jar that {@code mvn package} builds, which exists when Failsafe runs
 * in {@code mvn verify}. Loopback only, on a free port; its log goes to {@code target/}.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofMinutes(4);

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the jar with these settings as command-line arguments and waits until it is ready
     * ({@code /actuator/health/readiness} UP), as an orchestrator would.
     */
    public static ServerProcess start(Map<String, Object> settings) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx2g", "-jar", packagedJar().toString(),
                "--server.address=127.0.0.1", "--server.port=" + port));
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        Path log = Path.of("target", "server-process-" + port + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(process, port, log);
        server.awaitReady();
        return server;
    }

    static Path packagedJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("naltrexone-fhir-service-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No packaged jar under target/: run mvn verify"
                            + " (Failsafe runs after package)"));
        }
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The server process exited during start-up; see " + log);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl()
                        + "/actuator/health/readiness")).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("The server process did not start within " + STARTUP_LIMIT + "; see " + log);
    }

    /** Everything the server has logged so far (standard output and error). */
    public String log() throws IOException {
        return Files.readString(log);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
