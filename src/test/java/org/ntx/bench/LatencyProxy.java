package org.ntx.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on loopback that adds a fixed delay each way, so that a server on this machine looks like one
 * {@code 2 x oneWay} round trip away: what one side sends reaches the other {@code oneWay} later, pipelined (bytes
 * sent back to back are not each delayed again, as on a real link; bandwidth is not limited). Benchmark use only.
 */
final class LatencyProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final long oneWayNanos;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "latency-proxy");
        thread.setDaemon(true);
        return thread;
    });

    LatencyProxy(int targetPort, long roundTripMillis) throws IOException {
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.oneWayNanos = TimeUnit.MILLISECONDS.toNanos(roundTripMillis) / 2;
        threads.submit(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                target.setTcpNoDelay(true);
                pipe(client, target);
                pipe(target, client);
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection end
            }
        }
    }

    private record Chunk(long dueNanos, byte[] bytes) {}

    /** One direction: a reader stamps each chunk with when it is due, a writer sends it then. */
    private void pipe(Socket from, Socket to) {
        BlockingQueue<Chunk> inTransit = new LinkedBlockingQueue<>();
        threads.submit(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    inTransit.put(new Chunk(System.nanoTime() + oneWayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException | InterruptedException e) {
                // connection ended
            }
            inTransit.add(new Chunk(System.nanoTime() + oneWayNanos, null));
        });
        threads.submit(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = inTransit.take();
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (chunk.bytes() == null) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
