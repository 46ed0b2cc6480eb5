package io.github.autodeploy.core.local;

import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one output stream of a process into lines for a sink, on its own daemon thread; the lines of each
 * chunk read are handed over together ({@link OutputSink#lines}). A line
 * longer than {@value #MAX_LINE} characters is passed on in pieces, so memory stays bounded whatever
 * a process prints. Each piece is masked before it leaves; a piece is cut where no secret is cut in
 * two, so the characters that may begin a secret are carried over to the next piece and masked with
 * it. Once {@linkplain #detach() detached}, nothing more reaches the sink. Thread-safe.
 */
final class LineReader implements Runnable {
    static final int MAX_LINE = 16 * 1024;
    /** Characters read at once; each chunk's lines reach the sink together. */
    private static final int CHUNK = 32 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LineReader.class);
    private final InputStream in;
    private final OutputSink.Stream stream;
    private final OutputSink sink;
    private final Secrets secrets;
    private final int overlap;
    private volatile boolean detached;
    /** Lines of the current chunk, masked, not yet handed to the sink; only the reader's thread touches it. */
    private final List<String> pending = new ArrayList<>();
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
        char[] buf = new char[CHUNK];
        StringBuilder line = new StringBuilder(256);
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = r.read(buf)) >= 0) {
                // Runs of line characters go to the builder in bulk; a '\r' is dropped wherever it is. A line
                // that lies whole in the chunk and is short (the usual case) becomes a String straight away.
                int start = 0;
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (c == '\n' || c == '\r') {
                        if (c == '\n' && line.length() == 0 && i - start <= MAX_LINE) {
                            emit(new String(buf, start, i - start));
                        } else {
                            append(line, buf, start, i);
                            if (c == '\n') {
                                flush(line, true);
                            }
                        }
                        start = i + 1;
                    }
                }
                append(line, buf, start, n);
                deliver();
            }
            if (line.length() > 0) {
                flush(line, true);
            }
            deliver();
        } catch (IOException e) {
            LOG.debug("output stream closed: {}", e.getMessage());
        }
    }

    /**
     * Appends {@code buf[from, to)} to the line, passing pieces on exactly where appending one character at a
     * time would have: as soon as the line is longer than {@value #MAX_LINE} and holds the overlap beyond it.
     */
    private void append(StringBuilder line, char[] buf, int from, int to) {
        int full = Math.max(MAX_LINE + overlap, MAX_LINE + 1);
        while (from < to) {
            int take = Math.min(full - line.length(), to - from);
            line.append(buf, from, take);
            from += take;
            if (line.length() >= full) {
                flush(line, false);
            }
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
        if (!detached) {
            pending.add(secrets.redact(piece));
        }
    }

    /** Hands the lines of the chunk just read to the sink in one call. */
    private void deliver() {
        if (pending.isEmpty()) {
            return;
        }
        List<String> lines = List.copyOf(pending);
        pending.clear();
        if (detached) {
            return;
        }
        try {
            sink.lines(stream, lines);
        } catch (RuntimeException e) {
            LOG.warn("output sink failed; {} line(s) dropped: {}", lines.size(), e.toString());
        }
    }
}
