package io.github.autodeploy.config;

import io.github.autodeploy.core.AutodeployException;
import java.util.List;
import java.util.stream.Collectors;

/** A configuration file with problems; the message lists every one with its line and key path. */
public final class ConfigFileException extends AutodeployException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    /**
     * One problem of a file.
     *
     * @param line 1-based line of the key, or of its nearest parent present in the file; 0 when unknown
     */
    public record Problem(int line, String path, String message) {
        @Override
        public String toString() {
            return (line > 0 ? "line " + line + ": " : "") + (path.isEmpty() ? "" : path + ": ") + message;
        }
    }

    ConfigFileException(String file, List<Problem> problems) {
        super(file + " has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":\n"
                + problems.stream().sorted(java.util.Comparator.comparingInt(Problem::line)).map(p -> "  " + p)
                .collect(Collectors.joining("\n")));
        this.problems = problems.stream().sorted(java.util.Comparator.comparingInt(Problem::line)).toList();
    }

    public List<Problem> problems() {
        return problems;
    }
}
