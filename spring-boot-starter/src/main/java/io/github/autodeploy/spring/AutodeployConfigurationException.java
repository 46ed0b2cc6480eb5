package io.github.autodeploy.spring;

import io.github.autodeploy.core.AutodeployException;
import java.util.List;

/**
 * The {@code autodeploy.*} properties of a Spring application have problems; the message lists every
 * one as {@code autodeploy.<key path>: <what to do>}, and the context does not start.
 */
public final class AutodeployConfigurationException extends AutodeployException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    AutodeployConfigurationException(String message, List<String> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one line each. */
    public List<String> problems() {
        return problems;
    }
}
