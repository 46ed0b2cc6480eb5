package io.github.autodeploy.core.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Part of a deployment's log, for following it live: lines numbered from 0 since the deployment
 * began. A store that keeps only the tail starts a chunk later than asked; {@code firstLine} says
 * where, so a reader can show that lines were dropped.
 *
 * @param firstLine number of the first line in {@code lines}
 * @param nextLine  the number to ask for next
 */
public record LogChunk(long firstLine, List<String> lines, long nextLine) {
    /** The most chunks {@link #whole} reads; a log kept within its byte limit needs far fewer. */
    static final int MAX_CHUNKS = 10_000;

    public LogChunk {
        lines = List.copyOf(lines);
    }

    /**
     * All a store keeps of a log, read chunk after chunk with {@code read} (a line number to the chunk
     * from it): a database store answers at most so many lines a read, and a page showing a finished
     * log must show its end (the last output, the outcome), not only its first chunk. Lines dropped
     * between two reads (a running log trimmed meanwhile) restart the result at the newer chunk, so
     * it stays one run of consecutive lines.
     */
    public static LogChunk whole(LongFunction<LogChunk> read) {
        LogChunk chunk = read.apply(0);
        long first = chunk.firstLine();
        List<String> lines = new ArrayList<>(chunk.lines());
        long next = chunk.nextLine();
        for (int i = 0; i < MAX_CHUNKS && !chunk.lines().isEmpty(); i++) {
            chunk = read.apply(next);
            if (chunk.lines().isEmpty() || chunk.nextLine() <= next) {
                break;
            }
            if (chunk.firstLine() != next) {
                first = chunk.firstLine();
                lines.clear();
            }
            lines.addAll(chunk.lines());
            next = chunk.nextLine();
        }
        return new LogChunk(first, lines, next);
    }
}
