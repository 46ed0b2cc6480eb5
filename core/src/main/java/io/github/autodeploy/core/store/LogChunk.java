package io.github.autodeploy.core.store;

import java.util.List;

/**
 * Part of a deployment's log, for following it live: lines numbered from 0 since the deployment
 * began. A store that keeps only the tail starts a chunk later than asked; {@code firstLine} says
 * where, so a reader can show that lines were dropped.
 *
 * @param firstLine number of the first line in {@code lines}
 * @param nextLine  the number to ask for next
 */
public record LogChunk(long firstLine, List<String> lines, long nextLine) {
    public LogChunk {
        lines = List.copyOf(lines);
    }
}
