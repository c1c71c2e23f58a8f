package org.ntx.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A "FHIR server" on loopback that accepts connections, reads what is sent and never answers. Benchmark use only. */
final class StalledServer implements AutoCloseable {

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "stalled-server");
        thread.setDaemon(true);
        return thread;
    });

    StalledServer() throws IOException {
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

    int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
