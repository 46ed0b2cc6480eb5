package io.github.autodeploy.core.config;

import io.github.autodeploy.core.AutodeployException;
import java.util.List;
import java.util.stream.Collectors;

/** A configuration with one or more problems; the message lists them all, one per line. */
public final class InvalidConfigException extends AutodeployException {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super("the configuration has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
