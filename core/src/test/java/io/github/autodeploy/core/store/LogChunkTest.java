package io.github.autodeploy.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** {@link LogChunk#whole} reads a log a store hands out in chunks to its end. */
class LogChunkTest {
    /** A kept log of lines {@code first..next-1}, read at most {@code per} lines at a time, as a database store does. */
    private static LogChunk chunk(long first, long next, int per, long from) {
        long start = Math.max(from, first);
        List<String> lines = new ArrayList<>();
        LongStream.range(start, Math.min(next, start + per)).forEach(n -> lines.add("line " + n));
        return lines.isEmpty() ? new LogChunk(next, List.of(), next) : new LogChunk(start, lines, start + lines.size());
    }

    @Test
    void aLogReadInChunksIsReadToItsEndFromItsFirstKeptLine() {
        LogChunk whole = LogChunk.whole(from -> chunk(35_683, 60_083, 10_000, from));

        assertThat(whole.firstLine()).isEqualTo(35_683);
        assertThat(whole.nextLine()).isEqualTo(60_083);
        assertThat(whole.lines()).hasSize(60_083 - 35_683).startsWith("line 35683").endsWith("line 60082");
    }

    @Test
    void anEmptyLogAndALogOfOneChunkAreReadOnce() {
        List<Long> asked = new ArrayList<>();
        assertThat(LogChunk.whole(from -> {
            asked.add(from);
            return new LogChunk(0, List.of(), 0);
        }).lines()).isEmpty();
        assertThat(asked).containsExactly(0L);

        LogChunk small = LogChunk.whole(from -> chunk(0, 3, 10_000, from));
        assertThat(small.lines()).containsExactly("line 0", "line 1", "line 2");
        assertThat(small.nextLine()).isEqualTo(3);
    }

    @Test
    void linesDroppedBetweenTwoReadsRestartTheResultAtTheNewerChunk() {
        // A running log: after the first read its oldest kept line moved past where the next read starts.
        List<Long> asked = new ArrayList<>();
        LogChunk whole = LogChunk.whole(from -> {
            asked.add(from);
            return asked.size() == 1 ? chunk(0, 100, 10, from) : chunk(50, 100, 10, from);
        });

        assertThat(whole.firstLine()).isEqualTo(50);
        assertThat(whole.lines()).hasSize(50).startsWith("line 50").endsWith("line 99");
        assertThat(whole.nextLine()).isEqualTo(100);
    }
}
