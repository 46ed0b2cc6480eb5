package io.github.autodeploy.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.OutputSink;
import io.github.autodeploy.core.store.LogLines;
import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static final String SECRET = "aas3cret-hook-key";
    private static final String PEM = """
            -----BEGIN OPENSSH PRIVATE KEY-----
            b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
            QyNTUxOQAAACDvTeIb4Zs6Xa4n+c1oI6k6aW1ZtCzZbZ8Wm3wqj6D4ZQAAAJgq9V6SKvVe
            -----END OPENSSH PRIVATE KEY-----""";

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private List<String> read(String output, Secrets secrets) {
        LineReader r = LineReader.start(new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)),
                OutputSink.Stream.STDOUT, (s, l) -> lines.add(l), secrets, 1);
        assertThat(r.awaitEnd(Duration.ofMinutes(1))).isTrue();
        return lines;
    }

    /** A sink that keeps each hand-over as it came: a block, a list, or one line as a list of one. */
    private static OutputSink chunksInto(List<List<String>> chunks) {
        return new OutputSink() {
            @Override
            public void line(Stream stream, String line) {
                chunks.add(List.of(line));
            }

            @Override
            public void lines(Stream stream, List<String> given) {
                chunks.add(given);
            }
        };
    }

    @Test
    void aChunkOfWholeLinesWithoutSecretsArrivesAsOneBlockAndOthersLineByLine() {
        List<List<String>> chunks = new CopyOnWriteArrayList<>();
        OutputSink sink = chunksInto(chunks);
        String output = "one\r\ntwo \u00e9\n\u2713 three\n";
        LineReader r = LineReader.start(new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)),
                OutputSink.Stream.STDOUT, sink, Secrets.of(List.of(SECRET)), 1);
        assertThat(r.awaitEnd(Duration.ofMinutes(1))).isTrue();
        // a '\r' sends the chunk down the line-by-line path (as does a secret's first character, 'a' here)
        assertThat(chunks).singleElement().isNotInstanceOf(LogLines.class).isEqualTo(List.of("one", "two \u00e9", "\u2713 three"));

        chunks.clear();
        r = LineReader.start(new ByteArrayInputStream("one\ntwo \u00e9\n\u2713 three\n".getBytes(StandardCharsets.UTF_8)),
                OutputSink.Stream.STDOUT, sink, Secrets.of(List.of(SECRET)), 1);
        assertThat(r.awaitEnd(Duration.ofMinutes(1))).isTrue();
        assertThat(chunks).singleElement().isInstanceOfSatisfying(LogLines.class, block -> {
            assertThat(block).containsExactly("one", "two \u00e9", "\u2713 three");
            assertThat(block.latin1()).isFalse();
        });

        chunks.clear();
        r = LineReader.start(new ByteArrayInputStream(("one\n" + SECRET + " two\n").getBytes(StandardCharsets.UTF_8)),
                OutputSink.Stream.STDOUT, sink, Secrets.of(List.of(SECRET)), 1);
        assertThat(r.awaitEnd(Duration.ofMinutes(1))).isTrue();
        assertThat(chunks).singleElement().isEqualTo(List.of("one", "*** two"));
    }

    @Test
    void anAsciiChunkIsKnownToBeLatin1() {
        List<List<String>> chunks = new CopyOnWriteArrayList<>();
        LineReader r = LineReader.start(new ByteArrayInputStream("a\nb\n".getBytes(StandardCharsets.UTF_8)),
                OutputSink.Stream.STDOUT, chunksInto(chunks), Secrets.none(), 1);
        assertThat(r.awaitEnd(Duration.ofMinutes(1))).isTrue();
        assertThat(chunks).singleElement().isInstanceOfSatisfying(LogLines.class, block -> assertThat(block.latin1()).isTrue());
    }

    @Test
    void aSecretStraddlingTheCutOfALongLineIsMaskedWhole() {
        // the secret begins 5 characters before the point where a long line used to be cut
        for (int before : new int[] {1, 5, SECRET.length() - 1}) {
            lines.clear();
            String line = "x".repeat(LineReader.MAX_LINE - before) + SECRET + "y".repeat(100);
            List<String> pieces = read(line + "\n", Secrets.of(List.of(SECRET)));
            assertThat(String.join("", pieces)).isEqualTo("x".repeat(LineReader.MAX_LINE - before) + "***" + "y".repeat(100));
            assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(LineReader.MAX_LINE))
                    .noneMatch(p -> p.contains("hook") || p.contains("aas3"));
        }
    }

    @Test
    void secretsInEveryPieceOfAVeryLongLineAreMasked() {
        String unit = "z".repeat(997) + SECRET;
        String line = unit.repeat(200);
        List<String> pieces = read(line, Secrets.of(List.of(SECRET)));
        assertThat(String.join("", pieces)).isEqualTo(("z".repeat(997) + "***").repeat(200));
        assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(LineReader.MAX_LINE));
    }

    @Test
    void eachLineOfAMultiLineSecretIsMaskedWhenPrinted() {
        List<String> out = read("key:\n" + PEM + "\ndone\n", Secrets.of(List.of(PEM)));
        assertThat(out).containsExactly("key:", "***", "***", "***", "***", "done");
    }

    @Test
    void aDetachedReaderPassesNothingMoreOn() throws Exception {
        PipedOutputStream process = new PipedOutputStream();
        LineReader r = LineReader.start(new PipedInputStream(process), OutputSink.Stream.STDOUT, (s, l) -> lines.add(l),
                Secrets.none(), 1);
        process.write("early\n".getBytes(StandardCharsets.UTF_8));
        process.flush();
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("early"));
        r.detach();
        process.write("late\n".getBytes(StandardCharsets.UTF_8));
        process.close();
        assertThat(r.awaitEnd(Duration.ofMinutes(1))).isTrue();
        assertThat(lines).containsExactly("early");
    }

    @Test
    void aPipeReadWithPausesAfterShortReadsPassesOnEveryLineOfAFastWriterInOrderAndMasked() throws Exception {
        PipedOutputStream process = new PipedOutputStream();
        LineReader r = LineReader.startOnPipe(new PipedInputStream(process, 64 * 1024), OutputSink.Stream.STDOUT,
                (s, l) -> lines.add(l), Secrets.of(List.of(SECRET)), 1);
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String line = i % 97 == 0 ? "line " + i + " " + SECRET : "line " + i;
            // one small write a line, as a command printing fast through its own buffer does
            process.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            expected.add(i % 97 == 0 ? "line " + i + " ***" : line);
        }
        process.close();
        assertThat(r.awaitEnd(Duration.ofMinutes(1))).isTrue();
        assertThat(lines).containsExactlyElementsOf(expected);
    }
}
