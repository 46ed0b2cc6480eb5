package io.github.autodeploy.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the arguments of a command that an interpreter runs as code: the script of {@code sh -c},
 * {@code bash -lc}, {@code python3 -c}, {@code perl -e}, {@code node --eval} and the like, wherever
 * the interpreter appears in argv ({@code sudo -u app bash -c ...}, {@code ssh host sh -c ...}). A
 * placeholder in such an argument would be executed by the interpreter, whatever the robot does to
 * keep argv apart; arguments after the script (its {@code $1}, {@code sys.argv}) are data and fine.
 * Stateless.
 */
final class InlineScripts {
    /** Shells: {@code -c} (alone or among other one-letter options, as in {@code -ec}) takes the script. */
    private static final Set<String> SHELLS =
            Set.of("sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "fish", "csh", "tcsh");
    private static final Pattern PYTHON = Pattern.compile("(python|pypy)[0-9.]*");
    /** Perl's and Ruby's one-letter options run together, the last taking the code: {@code -ne}, {@code -lpe}. */
    private static final Pattern CLUSTER_ENDING_IN_E = Pattern.compile("-[a-zA-Z]*[eE]");
    /** Other interpreters and the options that take code. */
    private static final Map<String, Set<String>> CODE_OPTIONS = Map.of(
            "perl", Set.of("-e", "-E"),
            "ruby", Set.of("-e"),
            "node", Set.of("-e", "--eval", "-p", "--print"),
            "nodejs", Set.of("-e", "--eval", "-p", "--print"),
            "php", Set.of("-r"),
            "lua", Set.of("-e"),
            "pwsh", Set.of("-c", "-command"),
            "osascript", Set.of("-e"));

    private InlineScripts() {
    }

    /** Where an inline script was found: its index in argv and the interpreter's name as written. */
    record Script(int index, String interpreter) {
    }

    /** Every argument of {@code argv} that an interpreter in it runs as code. */
    static List<Script> in(List<String> argv) {
        List<Script> scripts = new ArrayList<>();
        for (int k = 0; k < argv.size(); k++) {
            String name = program(argv.get(k));
            if (SHELLS.contains(name) || PYTHON.matcher(name).matches()) {
                shellLike(argv, k, name, scripts);
            } else if (CODE_OPTIONS.containsKey(name)) {
                withCodeOptions(argv, k, name, CODE_OPTIONS.get(name), scripts);
            }
        }
        return scripts;
    }

    /** {@code sh [options] -c [options] script [name [args]]}; python's {@code -c code} and {@code -ccode} alike. */
    private static void shellLike(List<String> argv, int k, String name, List<Script> scripts) {
        boolean python = !SHELLS.contains(name);
        boolean codeNext = false;
        for (int j = k + 1; j < argv.size(); j++) {
            String a = String.valueOf(argv.get(j));
            if (a.equals("--") || a.equals("-")) {
                break;
            }
            if ((a.startsWith("-") || (!python && a.startsWith("+"))) && a.length() > 1) {
                if (python && a.startsWith("-c")) {
                    if (a.length() > 2) {
                        scripts.add(new Script(j, name));
                        return;
                    }
                    codeNext = true;
                } else if (python && (a.equals("-m") || a.equals("-W") || a.equals("-X"))) {
                    j++; // an option with a value; -m starts a module, after which come its arguments
                    if (a.equals("-m")) {
                        return;
                    }
                } else if (!python && a.startsWith("-") && !a.startsWith("--") && a.indexOf('c') > 0) {
                    codeNext = true;
                } else if (!python && (a.equals("-o") || a.equals("+o") || a.equals("-O") || a.equals("+O"))) {
                    j++; // set -o name
                }
                continue;
            }
            if (codeNext) {
                scripts.add(new Script(j, name));
            }
            return; // a script file or the inline script: what follows is its arguments
        }
    }

    private static void withCodeOptions(List<String> argv, int k, String name, Set<String> options, List<Script> scripts) {
        for (int j = k + 1; j < argv.size(); j++) {
            String a = String.valueOf(argv.get(j));
            if (!a.startsWith("-") || a.equals("--")) {
                return;
            }
            String lower = a.toLowerCase(Locale.ROOT);
            boolean cluster = (name.equals("perl") || name.equals("ruby")) && CLUSTER_ENDING_IN_E.matcher(a).matches();
            if ((options.contains(lower) || cluster) && j + 1 < argv.size()) {
                scripts.add(new Script(++j, name));
            } else if (lower.startsWith("--eval=") || lower.startsWith("--print=")
                    || options.stream().anyMatch(o -> o.length() == 2 && a.startsWith(o) && a.length() > 2)) {
                scripts.add(new Script(j, name)); // -e'code', --eval=code
            }
        }
    }

    /** The program's name: without its folder or a Windows-style extension, lower case. */
    private static String program(String element) {
        if (element == null) {
            return "";
        }
        String name = element.substring(element.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return Optional.of(name).filter(n -> n.endsWith(".exe")).map(n -> n.substring(0, n.length() - 4)).orElse(name);
    }
}
