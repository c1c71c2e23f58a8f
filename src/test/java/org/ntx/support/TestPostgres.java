package org.ntx.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL server for integration tests: a Testcontainers container where a Docker engine answers,
 * otherwise zonky's embedded PostgreSQL binaries (from Maven Central). Never a mock, never H2.
 */
public interface TestPostgres extends AutoCloseable {

    String jdbcUrl();

    String username();

    String password();

    /** Stops the server without deleting its data (the outage tests start it again). */
    @Override
    void close();

    /** Spring properties that point the application at this database. */
    default Map<String, Object> springProperties() {
        return Map.of(
                "spring.datasource.url", jdbcUrl(),
                "spring.datasource.username", username(),
                "spring.datasource.password", password());
    }

    static TestPostgres start() {
        return dockerAnswers() ? new Container() : new Embedded();
    }

    private static boolean dockerAnswers() {
        boolean dockerConfigured = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
        if (!dockerConfigured) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    final class Embedded implements TestPostgres {
        private final EmbeddedPostgres postgres;

        Embedded() {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
            }
        }

        @Override
        public String jdbcUrl() {
            return postgres.getJdbcUrl("postgres", "postgres");
        }

        @Override
        public String username() {
            return "postgres";
        }

        @Override
        public String password() {
            return "postgres";
        }

        @Override
        public void close() {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    final class Container implements TestPostgres {
        private final PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");

        Container() {
            container.start();
        }

        @Override
        public String jdbcUrl() {
            return container.getJdbcUrl();
        }

        @Override
        public String username() {
            return container.getUsername();
        }

        @Override
        public String password() {
            return container.getPassword();
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
