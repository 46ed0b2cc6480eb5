package io.github.autodeploy.config;

import io.github.autodeploy.core.AutodeployException;

/**
 * Python literal syntax that cannot be read, with where: the message is {@code FILE:LINE:COL: what is
 * wrong}, and never quotes the text (a string in a config.py may be a secret). Immutable.
 */
public class PythonSyntaxException extends AutodeployException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;
    private final String problem;

    PythonSyntaxException(String file, int line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** The 1-based line of the problem. */
    public int line() {
        return line;
    }

    /** The 1-based column of the problem. */
    public int column() {
        return column;
    }

    /** What is wrong, without the place. */
    public String problem() {
        return problem;
    }

    /** Well-formed Python that is not a literal (a name, a call, an expression): it cannot be read without running it. */
    static final class NotALiteral extends PythonSyntaxException {
        private static final long serialVersionUID = 1L;

        NotALiteral(String file, int line, int column, String problem) {
            super(file, line, column, problem);
        }
    }
}
