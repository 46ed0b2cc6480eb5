package io.github.autodeploy.core.local;

import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.OutputSink;
import io.github.autodeploy.core.store.LogLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one output stream of a process into lines for a sink, on its own daemon thread; the lines of each
 * chunk read are handed over together ({@link OutputSink#lines}). A line
 * longer than {@value #MAX_LINE} characters is passed on in pieces, so memory stays bounded whatever
 * a process prints. Each piece is masked before it leaves; a piece is cut where no secret is cut in
 * two, so the characters that may begin a secret are carried over to the next piece and masked with
 * it. A chunk in which no secret's first character appears passes its whole lines on without masking each, as one
 * {@link LogLines} block (its decoded text and where its lines end) rather than a {@code String} per line. Once {@linkplain #detach() detached}, nothing more reaches the sink. Thread-safe.
 */
final class LineReader implements Runnable {
    static final int MAX_LINE = 16 * 1024;
    /** Bytes read at once; each chunk's lines reach the sink together. */
    private static final int CHUNK = 64 * 1024;
    /** A read of fewer bytes than this found the pipe all but drained; a pipe's reader then waits {@link #SHORT_READ_PAUSE_NANOS}. */
    private static final int SHORT_READ = CHUNK / 2;
    private static final long SHORT_READ_PAUSE_NANOS = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(LineReader.class);
    private final InputStream in;
    private final OutputSink.Stream stream;
    private final OutputSink sink;
    private final Secrets secrets;
    private final int overlap;
    private volatile boolean detached;
    /** How long to wait after a short read; 0 for none. */
    private final long shortReadPauseNanos;
    /** Lines of the current chunk, masked, not yet handed to the sink; only the reader's thread touches it. */
    private List<String> pending = new ArrayList<>();
    /** A chunk's lines as one block, not yet handed to the sink (then {@code pending} is empty); only the reader's thread touches it. */
    private LogLines ready;
    private Thread thread;

    private LineReader(InputStream in, OutputSink.Stream stream, OutputSink sink, Secrets secrets, long shortReadPauseNanos) {
        this.in = in;
        this.shortReadPauseNanos = shortReadPauseNanos;
        this.stream = stream;
        this.sink = sink;
        this.secrets = secrets;
        this.overlap = secrets.overlap();
    }

    /** Reads {@code in} on a thread of its own, each read as soon as the last is handled. */
    static LineReader start(InputStream in, OutputSink.Stream stream, OutputSink sink, Secrets secrets, long pid) {
        return start(in, stream, sink, secrets, pid, 0);
    }

    /**
     * Reads a process's pipe on a thread of its own. After a read that found the pipe all but drained, it waits
     * {@link #SHORT_READ_PAUSE_NANOS} before the next, so that a command printing fast is read in tens of KiB at a
     * time rather than one small write at a time.
     */
    static LineReader startOnPipe(InputStream in, OutputSink.Stream stream, OutputSink sink, Secrets secrets, long pid) {
        return start(in, stream, sink, secrets, pid, SHORT_READ_PAUSE_NANOS);
    }

    private static LineReader start(InputStream in, OutputSink.Stream stream, OutputSink sink, Secrets secrets, long pid,
                                    long shortReadPauseNanos) {
        LineReader reader = new LineReader(in, stream, sink, secrets, shortReadPauseNanos);
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
        byte[] bytes = new byte[CHUNK];
        // Bytes read but not decoded yet: the rest of a line not ended in the last read, or an incomplete UTF-8 character.
        int kept = 0;
        StringBuilder line = new StringBuilder(256);
        try (InputStream stream = in) {
            int n;
            while ((n = stream.read(bytes, kept, bytes.length - kept)) >= 0) {
                int end = kept + n;
                // Decoded up to the last line end (never inside a character); a buffer without one all but an
                // incomplete character at its end. UTF-8 never has a '\n' byte inside a character.
                int upTo = lastLineEnd(bytes, kept, end);
                if (upTo < 0) {
                    upTo = end - incompleteTail(bytes, end);
                }
                if (upTo > 0) {
                    String text = new String(bytes, 0, upTo, StandardCharsets.UTF_8);
                    if (line.length() > 0 || !block(text, upTo)) {
                        lines(text, line);
                    }
                    System.arraycopy(bytes, upTo, bytes, 0, end - upTo);
                }
                kept = end - upTo;
                deliver();
                if (shortReadPauseNanos > 0 && n < SHORT_READ) {
                    // The pipe was drained: let the writer fill it a little before the next read. A command printing fast
                    // then costs a wake-up and a read per tens of KiB rather than one per write of its (often 4 KiB)
                    // buffer, which on a busy machine took the CPU from the command itself. Never long enough to
                    // fill the pipe (64 KiB) and hold the writer up, and unnoticed on a live log.
                    LockSupport.parkNanos(shortReadPauseNanos);
                }
            }
            if (kept > 0) {
                lines(new String(bytes, 0, kept, StandardCharsets.UTF_8), line);
            }
            if (line.length() > 0) {
                flush(line, true);
            }
            deliver();
        } catch (IOException e) {
            LOG.debug("output stream closed: {}", e.getMessage());
        }
    }

    /** Just after the last {@code '\n'} in {@code bytes[from, to)}; -1 when there is none. */
    private static int lastLineEnd(byte[] bytes, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    /** How many bytes at the end of {@code bytes[0, end)} begin a UTF-8 character that is not complete yet. */
    private static int incompleteTail(byte[] bytes, int end) {
        for (int i = end - 1; i >= Math.max(0, end - 3); i--) {
            int b = bytes[i] & 0xff;
            if ((b & 0xc0) != 0x80) {
                int length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
                return length > end - i ? end - i : 0;
            }
        }
        return 0;
    }

    /**
     * The common chunk, passed on as one block without a {@code String} per line: whole lines only (the text ends
     * with a {@code '\n'}), none longer than {@value #MAX_LINE}, no {@code '\r'}, no secret's first character.
     * False (nothing done) for any other chunk. {@code bytes}: how many bytes the text was decoded from.
     */
    private boolean block(String text, int bytes) {
        int length = text.length();
        if (text.charAt(length - 1) != '\n' || text.indexOf('\r') >= 0 || secrets.mayOccurIn(text)) {
            return false;
        }
        int[] ends = new int[Math.max(16, length / 64)];
        int count = 0;
        int start = 0;
        while (start < length) {
            int end = text.indexOf('\n', start);
            if (end - start > MAX_LINE) {
                return false;
            }
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
            }
            ends[count++] = end;
            start = end + 1;
        }
        // As many characters as bytes and no replacement character: every byte was ASCII, so the text is Latin-1.
        boolean latin1 = length == bytes && text.indexOf('\uFFFD') < 0;
        ready = LogLines.of(text, ends, count, latin1);
        return true;
    }

    /**
     * Cuts decoded text into lines: a line found whole (the usual case) is taken as a substring at once; the rest
     * of a line goes to {@code line}. A {@code '\r'} is dropped wherever it is.
     */
    private void lines(String text, StringBuilder line) {
        if (text.indexOf('\r') >= 0) {
            text = text.replace("\r", "");
        }
        // Whole lines of a chunk holding no secret's first character need no masking: one search for the chunk.
        boolean clean = !secrets.mayOccurIn(text);
        int start = 0;
        int end;
        while ((end = text.indexOf('\n', start)) >= 0) {
            if (line.length() == 0 && end - start <= MAX_LINE) {
                if (clean) {
                    if (!detached) {
                        pending.add(text.substring(start, end));
                    }
                } else {
                    emit(text.substring(start, end));
                }
            } else {
                append(line, text, start, end);
                flush(line, true);
            }
            start = end + 1;
        }
        append(line, text, start, text.length());
    }

    /**
     * Appends {@code text[from, to)} to the line, passing pieces on exactly where appending one character at a
     * time would have: as soon as the line is longer than {@value #MAX_LINE} and holds the overlap beyond it.
     */
    private void append(StringBuilder line, String text, int from, int to) {
        int full = Math.max(MAX_LINE + overlap, MAX_LINE + 1);
        while (from < to) {
            int take = Math.min(full - line.length(), to - from);
            line.append(text, from, from + take);
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
        List<String> lines;
        if (ready != null) {
            lines = ready;
            ready = null;
        } else if (pending.isEmpty()) {
            return;
        } else {
            // Handed over whole (not copied): a new list takes the next chunk's lines.
            lines = Collections.unmodifiableList(pending);
            pending = new ArrayList<>(Math.max(16, lines.size()));
        }
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
