package io.github.autodeploy.core.port;

/** Receives a step's output line by line, as it comes. Called from the runner's reader threads. */
@FunctionalInterface
public interface OutputSink {

    /** Which stream a line came from. */
    enum Stream { STDOUT, STDERR }

    void line(Stream stream, String line);
}
