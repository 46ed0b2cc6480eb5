package io.github.autodeploy.core.local;

import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one output stream of a process into lines for a sink, on its own daemon thread; the lines of each
 * chunk read are handed over together ({@link OutputSink#lines}). A line
 * longer than {@value #MAX_LINE} characters is passed on in pieces, so memory stays bounded whatever
 * a process prints. Each piece is masked before it leaves; a piece is cut where no secret is cut in
 * two, so the characters that may begin a secret are carried over to the next piece and masked with
 * it. Once {@linkplain #detach() detached}, nothing more reaches the sink.
 *
 * <p>The usual output (ASCII without carriage returns or any byte that begins a secret) is cut into lines on the
 * bytes, eight at a time, each line's String made straight from them: no decoding, no masking, no String of the
 * chunk. Anything else in a chunk (a secret's first byte, {@code \r}, a byte of 0x80 or more, a line longer than
 * {@value #MAX_LINE}, the rest of a line begun in an earlier chunk) sends the chunk the general way, which decodes,
 * masks and cuts as described above. Thread-safe.
 */
final class LineReader implements Runnable {
    static final int MAX_LINE = 16 * 1024;
    /** Bytes read at once; each chunk's lines reach the sink together. */
    private static final int CHUNK = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LineReader.class);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = '\n' * ONES;
    private static final long RETURNS = '\r' * ONES;
    private final InputStream in;
    private final OutputSink.Stream stream;
    private final OutputSink sink;
    private final Secrets secrets;
    private final int overlap;
    /** Each ASCII byte that begins a secret, repeated in the eight bytes of a word; a chunk holding one is masked. */
    private final long[] secretStarts;
    private volatile boolean detached;
    /** Lines of the current chunk, masked, not yet handed to the sink; only the reader's thread touches it. */
    private List<String> pending = new ArrayList<>();
    private Thread thread;

    private LineReader(InputStream in, OutputSink.Stream stream, OutputSink sink, Secrets secrets) {
        this.in = in;
        this.stream = stream;
        this.sink = sink;
        this.secrets = secrets;
        this.overlap = secrets.overlap();
        byte[] firsts = secrets.firstBytes();
        int ascii = 0;
        long[] starts = new long[firsts.length];
        for (byte b : firsts) {
            if (b >= 0) {
                starts[ascii++] = b * ONES;
            }
        }
        // A byte of 0x80 or more sends a chunk the general way anyway.
        this.secretStarts = java.util.Arrays.copyOf(starts, ascii);
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
                    if (line.length() > 0 || bytes[upTo - 1] != '\n' || !plain(bytes, upTo)) {
                        lines(new String(bytes, 0, upTo, StandardCharsets.UTF_8), line);
                    } else {
                        plainLines(bytes, upTo, line);
                    }
                    System.arraycopy(bytes, upTo, bytes, 0, end - upTo);
                }
                kept = end - upTo;
                deliver();
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

    /**
     * True when {@code bytes[0, end)} is ASCII without a {@code '\r'} and without a byte that begins a secret: its
     * lines need no decoding and no masking. Eight bytes at a time.
     */
    private boolean plain(byte[] bytes, int end) {
        int i = 0;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long w = (long) LONGS.get(bytes, i);
            long hits = zeroBytes(w ^ RETURNS);
            for (long start : secretStarts) {
                hits |= zeroBytes(w ^ start);
            }
            if ((w & HIGHS) != 0 || hits != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            byte b = bytes[i];
            if (b < 0 || b == '\r' || isSecretStart(b)) {
                return false;
            }
        }
        return true;
    }

    private boolean isSecretStart(byte b) {
        for (long start : secretStarts) {
            if ((byte) start == b) {
                return true;
            }
        }
        return false;
    }

    /** The high bit of each byte of {@code x} that is zero, and no other bit (exact: no borrow crosses bytes). */
    private static long zeroBytes(long x) {
        return ~(((x & LOWS) + LOWS) | x | LOWS);
    }

    /**
     * Cuts {@code bytes[0, end)}, {@linkplain #plain plain} and ending with {@code '\n'}, into lines found on the bytes
     * eight at a time. A line longer than {@value #MAX_LINE} goes the general way, through {@code line} (empty here).
     */
    private void plainLines(byte[] bytes, int end, StringBuilder line) {
        int start = 0;
        int i = 0;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long found = zeroBytes((long) LONGS.get(bytes, i) ^ NEWLINES);
            while (found != 0) {
                int at = i + (Long.numberOfTrailingZeros(found) >>> 3);
                plainLine(bytes, start, at, line);
                start = at + 1;
                found &= found - 1;
            }
        }
        for (; i < end; i++) {
            if (bytes[i] == '\n') {
                plainLine(bytes, start, i, line);
                start = i + 1;
            }
        }
    }

    /** One plain line, {@code bytes[from, to)}, its {@code '\n'} at {@code to}. */
    private void plainLine(byte[] bytes, int from, int to, StringBuilder line) {
        if (to - from <= MAX_LINE) {
            if (!detached) {
                // ASCII: ISO-8859-1 gives the same characters as UTF-8, copied without a check.
                pending.add(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
            }
        } else {
            lines(new String(bytes, from, to + 1 - from, StandardCharsets.ISO_8859_1), line);
        }
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
     * Cuts decoded text into lines: a line found whole (the usual case) is taken as a substring at once; the rest
     * of a line goes to {@code line}. A {@code '\r'} is dropped wherever it is.
     */
    private void lines(String text, StringBuilder line) {
        if (text.indexOf('\r') >= 0) {
            text = text.replace("\r", "");
        }
        int start = 0;
        int end;
        while ((end = text.indexOf('\n', start)) >= 0) {
            if (line.length() == 0 && end - start <= MAX_LINE) {
                emit(text.substring(start, end));
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
        if (pending.isEmpty()) {
            return;
        }
        // Handed over whole (not copied): a new list takes the next chunk's lines.
        List<String> lines = Collections.unmodifiableList(pending);
        pending = new ArrayList<>(Math.max(16, lines.size()));
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
