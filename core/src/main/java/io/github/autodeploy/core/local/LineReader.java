package io.github.autodeploy.core.local;

import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one output stream of a process into lines for a sink, on its own daemon thread. A line
 * longer than {@value #MAX_LINE} characters is passed on in pieces, so memory stays bounded whatever
 * a process prints. Each piece is masked before it leaves; a piece is cut where no secret is cut in
 * two, so the characters that may begin a secret are carried over to the next piece and masked with
 * it. Once {@linkplain #detach() detached}, nothing more reaches the sink. Thread-safe.
 */
final class LineReader implements Runnable {
    static final int MAX_LINE = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LineReader.class);
    private final InputStream in;
    private final OutputSink.Stream stream;
    private final OutputSink sink;
    private final Secrets secrets;
    private final int overlap;
    private volatile boolean detached;
    private Thread thread;

    private LineReader(InputStream in, OutputSink.Stream stream, OutputSink sink, Secrets secrets) {
        this.in = in;
        this.stream = stream;
        this.sink = sink;
        this.secrets = secrets;
        this.overlap = secrets.overlap();
    }

    static LineReader start(InputStream in, OutputSink.Stream stream, OutputSink sink, Secrets secrets, long pid) {
        LineReader reader = new LineReader(in, stream, sink, secrets);
        Thread t = new Thread(reader, "autodeploy-" + stream.name().toLowerCase() + "-" + pid);
        t.setDaemon(true);
        reader.thread = t;
        t.start();
        return reader;
    }

    /** Waits up to {@code limit} for the stream to end; true when it has. */
    boolean awaitEnd(Duration limit) {
        try {
            thread.join(Math.max(1, limit.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Passes nothing more to the sink: the step is over, whoever still holds the stream. */
    void detach() {
        detached = true;
    }

    @Override
    public void run() {
        char[] buf = new char[8192];
        StringBuilder line = new StringBuilder(256);
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = r.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (c == '\n') {
                        flush(line, true);
                    } else if (c != '\r') {
                        line.append(c);
                        if (line.length() >= MAX_LINE + overlap) {
                            flush(line, false);
                        }
                    }
                }
            }
            if (line.length() > 0) {
                flush(line, true);
            }
        } catch (IOException e) {
            LOG.debug("output stream closed: {}", e.getMessage());
        }
    }

    /**
     * Passes on pieces of at most {@value #MAX_LINE} characters, keeping back what could begin a
     * secret unless the line has ended, and then the rest.
     */
    private void flush(StringBuilder line, boolean ended) {
        while (line.length() > MAX_LINE && (ended || line.length() >= MAX_LINE + overlap)) {
            int cut = secrets.safeCut(line, MAX_LINE);
            emit(line.substring(0, cut));
            line.delete(0, cut);
        }
        if (ended) {
            emit(line.toString());
            line.setLength(0);
        }
    }

    private void emit(String piece) {
        if (detached) {
            return;
        }
        String text = secrets.redact(piece);
        try {
            sink.line(stream, text);
        } catch (RuntimeException e) {
            LOG.warn("output sink failed; line dropped: {}", e.toString());
        }
    }
}
