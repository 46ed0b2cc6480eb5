package io.github.autodeploy.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command written as one string (as the seed tool's config did) into argv the way a shell
 * splits words, with single and double quotes and backslashes, but refuses everything else a shell
 * would do: commands never run through one. Stateless.
 */
final class ShellWords {
    private ShellWords() {
    }

    static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < command.length()) {
                    word.append(command.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < command.length()) {
                word.append(command.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if ("|&;<>`".indexOf(c) >= 0 || (c == '$' && i + 1 < command.length() && command.charAt(i + 1) == '(')) {
                throw new IllegalArgumentException("uses '" + c + "', which needs a shell; commands run without one, so write "
                        + "[sh, -c, \"...\"] if you need it, and have the script read deployment values from its environment, "
                        + "quoted (\"$AUTODEPLOY_REF\", not ${ref}), so that no value can run as code");
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("has an unclosed " + quote + " quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
