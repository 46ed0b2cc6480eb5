package io.github.autodeploy.core.local;

import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one output stream of a process into lines for a sink, on its own daemon thread. A line
 * longer than {@value #MAX_LINE} characters is passed on in pieces, so memory stays bounded whatever
 * a process prints. Each piece is masked before it leaves.
 */
final class LineReader implements Runnable {
    static final int MAX_LINE = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LineReader.class);
    private final InputStream in;
    private final OutputSink.Stream stream;
    private final OutputSink sink;
    private final Secrets secrets;

    private LineReader(InputStream in, OutputSink.Stream stream, OutputSink sink, Secrets secrets) {
        this.in = in;
        this.stream = stream;
        this.sink = sink;
        this.secrets = secrets;
    }

    static Thread start(InputStream in, OutputSink.Stream stream, OutputSink sink, Secrets secrets, long pid) {
        Thread t = new Thread(new LineReader(in, stream, sink, secrets), "autodeploy-" + stream.name().toLowerCase() + "-" + pid);
        t.setDaemon(true);
        t.start();
        return t;
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
                        emit(line);
                    } else if (c != '\r') {
                        line.append(c);
                        if (line.length() >= MAX_LINE) {
                            emit(line);
                        }
                    }
                }
            }
            if (line.length() > 0) {
                emit(line);
            }
        } catch (IOException e) {
            LOG.debug("output stream closed: {}", e.getMessage());
        }
    }

    private void emit(StringBuilder line) {
        String text = secrets.redact(line.toString());
        line.setLength(0);
        try {
            sink.line(stream, text);
        } catch (RuntimeException e) {
            LOG.warn("output sink failed; line dropped: {}", e.toString());
        }
    }
}
