package io.github.autodeploy.core.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.OutputSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The reader works on chunks of bytes (decoded up to the last line end, lines found whole taken as substrings, the
 * rest appended at once, the lines of a chunk handed over together); it passes on exactly the pieces that reading
 * one character at a time from an InputStreamReader passed on: random outputs of short, long and very long lines,
 * carriage returns anywhere, non-Latin-1 characters, bytes that are not UTF-8, and secrets, delivered by a stream
 * that returns a few bytes or many at a time.
 */
class LineReaderChunkingTest {
    private static final String SECRET = "aas3cret-hook-key";
    private static final String OTHER = "ghp_0123456789abcdef";

    @Test
    void chunkedReadingPassesOnThePiecesCharacterByCharacterReadingDid() {
        SplittableRandom random = new SplittableRandom(18);
        Secrets[] secretSets = {Secrets.none(), Secrets.of(List.of(SECRET)), Secrets.of(List.of(SECRET, OTHER))};
        for (int round = 0; round < 120; round++) {
            byte[] output = output(random);
            Secrets secrets = secretSets[round % secretSets.length];
            int maxRead = round % 2 == 0 ? 7 : 1 << 16;
            List<String> lines = new CopyOnWriteArrayList<>();
            List<Integer> batches = new CopyOnWriteArrayList<>();
            OutputSink sink = new OutputSink() {
                @Override
                public void line(Stream stream, String line) {
                    lines.add(line);
                }

                @Override
                public void lines(Stream stream, List<String> chunk) {
                    batches.add(chunk.size());
                    OutputSink.super.lines(stream, chunk);
                }
            };
            LineReader r = LineReader.start(Paced.trickle(output, maxRead, random.split()),
                    OutputSink.Stream.STDOUT, sink, secrets, 1);
            assertThat(r.awaitEnd(Duration.ofMinutes(1))).isTrue();
            assertThat(lines).as("round %d", round).isEqualTo(characterByCharacter(output, secrets));
            assertThat(batches).allSatisfy(n -> assertThat(n).isPositive());
        }
    }

    @Test
    void plainAsciiOutputPassesOnThePiecesCharacterByCharacterReadingDid() {
        // Plain ASCII, where many chunks hold no secret's first character and pass their whole lines on unmasked;
        // secrets, halves of secrets, NULs and long lines land anywhere across the reads.
        SplittableRandom random = new SplittableRandom(1818);
        Secrets[] secretSets = {Secrets.none(), Secrets.of(List.of(SECRET)), Secrets.of(List.of(SECRET, OTHER))};
        String[] bits = {"x", "yz ", "\n", "\n", "\0", "a", "g", SECRET, OTHER, SECRET.substring(0, 5), OTHER.substring(0, 9)};
        for (int round = 0; round < 90; round++) {
            StringBuilder b = new StringBuilder();
            int target = random.nextInt(5) == 0 ? 70_000 + random.nextInt(140_000) : random.nextInt(3_000);
            while (b.length() < target) {
                int pick = random.nextInt(bits.length + 2);
                if (pick == bits.length) {
                    b.append("x".repeat(LineReader.MAX_LINE - 20 + random.nextInt(40))).append('\n');
                } else if (pick > bits.length) {
                    b.append("w".repeat(random.nextInt(random.nextInt(10) == 0 ? 2 * LineReader.MAX_LINE : 150)));
                } else {
                    b.append(bits[pick]);
                }
            }
            byte[] output = b.toString().getBytes(StandardCharsets.US_ASCII);
            Secrets secrets = secretSets[round % secretSets.length];
            int maxRead = switch (round % 3) {
                case 0 -> 9;
                case 1 -> 300;
                default -> 1 << 16;
            };
            List<String> lines = new CopyOnWriteArrayList<>();
            LineReader r = LineReader.start(Paced.trickle(output, maxRead, random.split()), OutputSink.Stream.STDOUT,
                    (s, line) -> lines.add(line), secrets, 1);
            assertThat(r.awaitEnd(Duration.ofMinutes(1))).isTrue();
            assertThat(lines).as("round %d", round).isEqualTo(characterByCharacter(output, secrets));
        }
    }

    @Test
    void aSecretCutByEveryPossibleReadBoundaryAmongPlainLinesIsMasked() {
        String output = "plain one\nplain two\nkey " + SECRET + " end\nplain three\n";
        byte[] bytes = output.getBytes(StandardCharsets.US_ASCII);
        for (int cut = 1; cut < bytes.length; cut++) {
            List<String> lines = new CopyOnWriteArrayList<>();
            LineReader r = LineReader.start(Paced.twoReads(bytes, cut), OutputSink.Stream.STDOUT, (s, line) -> lines.add(line),
                    Secrets.of(List.of(SECRET)), 1);
            assertThat(r.awaitEnd(Duration.ofMinutes(1))).isTrue();
            assertThat(lines).as("cut at %d", cut).containsExactly("plain one", "plain two", "key *** end", "plain three");
        }
    }

    @Test
    void aSecretPrintedInTwoWritesWithAPauseBetweenIsMasked() throws Exception {
        java.io.PipedOutputStream process = new java.io.PipedOutputStream();
        java.io.PipedInputStream pipe = new java.io.PipedInputStream(process, 1 << 16);
        List<String> lines = new CopyOnWriteArrayList<>();
        LineReader r = LineReader.start(pipe, OutputSink.Stream.STDOUT, (s, line) -> lines.add(line), Secrets.of(List.of(SECRET)), 1);
        process.write(("before\nkey " + SECRET.substring(0, 7)).getBytes(StandardCharsets.US_ASCII));
        process.flush();
        // The first write is read (its whole line passed on) before the rest of the secret is printed.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("before"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pipe.available() == 0);
        process.write((SECRET.substring(7) + " end\nafter\n").getBytes(StandardCharsets.US_ASCII));
        process.close();
        assertThat(r.awaitEnd(Duration.ofMinutes(1))).isTrue();
        assertThat(lines).containsExactly("before", "key *** end", "after");
    }

    /** Text as UTF-8, now and then with bytes that are not (a lone lead byte, a cut character, a stray continuation). */
    private static byte[] output(SplittableRandom random) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[][] malformed = {{(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0x80}, {(byte) 0xf0, (byte) 0x9f}};
        for (int part = 0; part < 1 + random.nextInt(3); part++) {
            out.writeBytes(text(random).getBytes(StandardCharsets.UTF_8));
            if (random.nextBoolean()) {
                out.writeBytes(malformed[random.nextInt(malformed.length)]);
            }
        }
        return out.toByteArray();
    }

    private static String text(SplittableRandom random) {
        StringBuilder b = new StringBuilder();
        String[] bits = {"x", "yz ", "\r", "\n", "\r\n", "é", "€", "😀", SECRET, OTHER, SECRET.substring(0, 5)};
        int target = random.nextInt(4) == 0 ? 3 * LineReader.MAX_LINE + random.nextInt(40_000) : random.nextInt(2_000);
        if (random.nextInt(6) == 0) {
            // longer than the reader's buffer, so lines and characters straddle its reads
            target = 70_000 + random.nextInt(70_000);
        }
        while (b.length() < target) {
            int pick = random.nextInt(bits.length + 4);
            if (pick == bits.length) {
                // a whole line right around the longest passed on in one piece
                b.append('\n').append("x".repeat(LineReader.MAX_LINE - 20 + random.nextInt(40))).append('\n');
            } else if (pick > bits.length) {
                b.append("x".repeat(random.nextInt(random.nextInt(8) == 0 ? LineReader.MAX_LINE + 100 : 200)));
            } else {
                b.append(bits[pick]);
            }
        }
        return b.toString();
    }

    /** What the reader passed on when it appended one character at a time (its former loop, kept as the reference). */
    private static List<String> characterByCharacter(byte[] output, Secrets secrets) {
        List<String> out = new ArrayList<>();
        int overlap = secrets.overlap();
        StringBuilder line = new StringBuilder();
        try (Reader r = new InputStreamReader(new ByteArrayInputStream(output), StandardCharsets.UTF_8)) {
            int c;
            while ((c = r.read()) >= 0) {
                if (c == '\n') {
                    flush(line, true, secrets, out);
                } else if (c != '\r') {
                    line.append((char) c);
                    if (line.length() >= LineReader.MAX_LINE + overlap) {
                        flush(line, false, secrets, out);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (line.length() > 0) {
            flush(line, true, secrets, out);
        }
        return out;
    }

    private static void flush(StringBuilder line, boolean ended, Secrets secrets, List<String> out) {
        int overlap = secrets.overlap();
        while (line.length() > LineReader.MAX_LINE && (ended || line.length() >= LineReader.MAX_LINE + overlap)) {
            int cut = secrets.safeCut(line, LineReader.MAX_LINE);
            out.add(secrets.redact(line.substring(0, cut)));
            line.delete(0, cut);
        }
        if (ended) {
            out.add(secrets.redact(line.toString()));
            line.setLength(0);
        }
    }

    /** A stream that hands out its bytes in reads whose most bytes {@code nextRead} gives, from the position. */
    private static final class Paced extends InputStream {
        private final byte[] bytes;
        private final java.util.function.IntUnaryOperator nextRead;
        private int at;

        Paced(byte[] bytes, java.util.function.IntUnaryOperator nextRead) {
            this.bytes = bytes;
            this.nextRead = nextRead;
        }

        /** Two reads, the first ending at {@code cut}. */
        static Paced twoReads(byte[] bytes, int cut) {
            return new Paced(bytes, at -> at < cut ? cut - at : bytes.length - at);
        }

        /** At most a random few bytes a read, as a pipe may hand them out. */
        static Paced trickle(byte[] bytes, int maxRead, SplittableRandom random) {
            return new Paced(bytes, at -> 1 + random.nextInt(maxRead));
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, bytes.length - at), nextRead.applyAsInt(at));
            System.arraycopy(bytes, at, b, off, n);
            at += n;
            return n;
        }
    }
}
