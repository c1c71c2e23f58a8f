package org.ntx.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real PostgreSQL (zonky's binaries) that a test can stop and start again on the same port with the same data, to
 * play a database outage. Always the embedded binaries, also where Docker answers: a container's mapped port would
 * change on restart, and the application must find its database where it left it.
 */
public final class RestartablePostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres running;

    private RestartablePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** Initializes a fresh cluster under {@code target/} on a free loopback port and starts it. */
    public static RestartablePostgres start() {
        try {
            Path directory = Files.createTempDirectory(Path.of("target"), "restartable-pg-");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            RestartablePostgres postgres = new RestartablePostgres(directory.toAbsolutePath(), port);
            postgres.startAgain();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare PostgreSQL", e);
        }
    }

    /** Starts the server on its port and data directory (initialized only the first time). */
    public synchronized void startAgain() {
        if (running != null) {
            throw new IllegalStateException("PostgreSQL is already running");
        }
        try {
            running = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    /** Stops the server (a fast shutdown: open connections are cut, as in a real outage); the data stays. */
    public synchronized void stop() {
        if (running == null) {
            return;
        }
        try {
            running.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop", e);
        } finally {
            running = null;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    public Map<String, Object> springProperties() {
        return Map.of(
                "spring.datasource.url", jdbcUrl(),
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "postgres");
    }

    @Override
    public void close() {
        stop();
    }
}
