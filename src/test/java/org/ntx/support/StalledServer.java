package org.ntx.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A "FHIR server" on loopback that accepts connections, reads what is sent and never answers: the EHR server that
 * hangs. For the benchmark (time to the answer) and the ITs (what the answer says).
 */
public final class StalledServer implements AutoCloseable {

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "stalled-server");
        thread.setDaemon(true);
        return thread;
    });

    public StalledServer() throws IOException {
        listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        threads.submit(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket connection = listener.accept();
                    threads.submit(() -> swallow(connection));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void swallow(Socket connection) {
        try (connection; InputStream in = connection.getInputStream()) {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // never answer
            }
        } catch (IOException e) {
            // the client gave up
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The base URL to name as {@code fhirServer}. */
    public String base() {
        return "http://127.0.0.1:" + port() + "/fhir";
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
