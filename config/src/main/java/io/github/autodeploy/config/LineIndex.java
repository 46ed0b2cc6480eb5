package io.github.autodeploy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every key and value of a file, by the key path the configuration's problems use
 * ({@code repos.octo/app.commands[1][0]}), gathered in one pass over the parser's tokens.
 */
final class LineIndex {
    private final Map<String, Integer> lines = new HashMap<>();

    static LineIndex of(JsonParser parser) throws IOException {
        LineIndex index = new LineIndex();
        Deque<Frame> stack = new ArrayDeque<>();
        String path = "";
        JsonToken t;
        while ((t = parser.nextToken()) != null) {
            int line = parser.currentTokenLocation().getLineNr();
            Frame top = stack.peek();
            if (t == JsonToken.FIELD_NAME) {
                top.key = parser.currentName();
                index.lines.putIfAbsent(top.base + (top.base.isEmpty() ? "" : ".") + top.key, line);
                continue;
            }
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                stack.pop();
                continue;
            }
            if (top != null) {
                path = top.array ? top.base + "[" + top.index++ + "]" : top.base + (top.base.isEmpty() ? "" : ".") + top.key;
                index.lines.putIfAbsent(path, line);
            } else {
                path = "";
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                stack.push(new Frame(path, t == JsonToken.START_ARRAY));
            }
        }
        return index;
    }

    private static final class Frame {
        final String base;
        final boolean array;
        String key;
        int index;

        Frame(String base, boolean array) {
            this.base = base;
            this.array = array;
        }
    }

    /** The line of {@code path}, or of its nearest ancestor in the file; 0 when none is. */
    int lineOf(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return 0;
    }
}
