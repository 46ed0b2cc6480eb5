package io.github.autodeploy.core.port;

import java.util.List;

/** Receives a step's output line by line, as it comes. Called from the runner's reader threads. */
@FunctionalInterface
public interface OutputSink {

    /** Which stream a line came from. */
    enum Stream { STDOUT, STDERR }

    void line(Stream stream, String line);

    /**
     * Receives several lines of one stream at once, in the order printed, as {@link #line} would one by one:
     * a runner reading output in chunks hands over each chunk's lines together, so a sink can take them with
     * one lock and one append instead of one per line.
     */
    default void lines(Stream stream, List<String> lines) {
        for (String line : lines) {
            line(stream, line);
        }
    }
}
