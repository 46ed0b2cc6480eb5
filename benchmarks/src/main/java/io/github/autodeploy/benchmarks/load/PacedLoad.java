package io.github.autodeploy.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * A lean constant-rate client in the manner of wrk2: {@code connections} threads, each on its own
 * kept-alive socket, each sending every {@code connections}-th delivery of a fixed schedule at its due
 * instant (or at once, when the last answer came late), with latency counted from the due instant, so
 * a server that falls behind is charged for the whole wait (no coordinated omission). Requests are
 * written as ready bytes and answers read with a minimal HTTP/1.1 reader, so the client's own cost per
 * delivery is a write and a read; it reconnects when the server closes a connection. Thread-safe; one
 * run at a time.
 */
public final class PacedLoad {
    private final InetSocketAddress address;
    private final String path;
    private final String host;

    public PacedLoad(URI hook) {
        this.address = new InetSocketAddress(hook.getHost(), hook.getPort());
        this.path = hook.getRawPath();
        this.host = hook.getHost() + ":" + hook.getPort();
    }

    /**
     * {@code rate} deliveries a second for {@code length} over {@code connections} sockets, each due at its
     * own instant; the deliveries come from {@code webhooks}, built and signed before the clock starts.
     */
    public Load.Result run(String phase, Webhooks webhooks, int rate, Duration length, int connections) throws InterruptedException {
        if (rate < 1 || connections < 1 || length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("a positive rate, length and number of connections are needed");
        }
        int count = (int) Math.max(1, rate * length.toMillis() / 1000);
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        List<byte[]> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(bytes(webhooks.next()));
        }
        ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
        Map<String, LongAdder> answers = new ConcurrentHashMap<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long giveUp = start + length.toNanos() + TimeUnit.SECONDS.toNanos(60);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < Math.min(connections, count); c++) {
            int first = c;
            Thread t = new Thread(() -> {
                Connection conn = new Connection();
                try {
                    for (int i = first; i < count; i += connections) {
                        long due = start + i * period;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        String kind;
                        if (System.nanoTime() > giveUp) {
                            kind = "not sent: the run's time was up";
                        } else {
                            kind = conn.send(requests.get(i));
                        }
                        latency.recordValue(Math.min(latency.getHighestTrackableValue(), Math.max(0, (System.nanoTime() - due) / 1000)));
                        answers.computeIfAbsent(kind, k -> new LongAdder()).increment();
                    }
                } finally {
                    conn.close();
                }
            }, "paced-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        Map<String, Long> counts = new TreeMap<>();
        answers.forEach((k, v) -> counts.put(k, v.sum()));
        return new Load.Result(phase, latency.copy(), counts, Duration.ofNanos(System.nanoTime() - start));
    }

    private byte[] bytes(Webhooks.Delivery d) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "User-Agent: GitHub-Hookshot/bench\r\nX-GitHub-Event: deployment\r\nX-GitHub-Delivery: " + d.id()
                + "\r\nX-GitHub-Hook-ID: 1\r\nX-Hub-Signature-256: " + d.signature() + "\r\nContent-Length: " + d.body().length
                + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + d.body().length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(d.body(), 0, all, h.length, d.body().length);
        return all;
    }

    /** One kept-alive socket of one sender thread; not thread-safe. */
    private final class Connection {
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        /** Sends one request and reads its answer: the status code as text, or what went wrong. */
        String send(byte[] request) {
            for (int attempt = 0; ; attempt++) {
                boolean fresh = socket == null;
                try {
                    if (fresh) {
                        socket = new Socket();
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout(30_000);
                        socket.connect(address, 5_000);
                        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                        out = socket.getOutputStream();
                    }
                    out.write(request);
                    out.flush();
                    return readAnswer();
                } catch (IOException e) {
                    close();
                    // A kept-alive socket the server closed in between: one more try on a new one.
                    if (fresh || attempt > 0) {
                        return "error " + e.getClass().getSimpleName();
                    }
                }
            }
        }

        private String readAnswer() throws IOException {
            String status = line();
            if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
                throw new IOException("not an HTTP/1.1 answer: " + status);
            }
            int length = -1;
            boolean chunked = false;
            boolean closes = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Integer.parseInt(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                    chunked = true;
                } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    closes = true;
                }
            }
            if (chunked) {
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    skip(size);
                    line();
                }
                line();
            } else if (length > 0) {
                skip(length);
            }
            if (closes) {
                close();
            }
            return status.substring(9, 12);
        }

        private void skip(int n) throws IOException {
            in.skipNBytes(n); // EOFException when the answer ends early
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the connection ended in an answer");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // already gone
                }
                socket = null;
            }
        }
    }
}
