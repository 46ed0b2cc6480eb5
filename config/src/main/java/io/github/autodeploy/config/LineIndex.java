package io.github.autodeploy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line of every key and value of a file, by the key path the configuration's problems use
 * ({@code repos.octo/app.commands[1][0]}), and every key written twice in one map, gathered in one
 * pass over the parser's tokens. Not thread-safe while it is built; read-only afterwards.
 */
final class LineIndex {
    /** A key written twice in the same map: the parser keeps the second, so both lines are reported. */
    record Duplicate(String path, int firstLine, int secondLine) {
    }

    private final Map<String, Integer> lines = new HashMap<>();
    private final List<Duplicate> duplicates = new ArrayList<>();

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
                String keyPath = top.base + (top.base.isEmpty() ? "" : ".") + top.key;
                Integer first = top.keys.putIfAbsent(top.key, line);
                if (first != null) {
                    index.duplicates.add(new Duplicate(keyPath, first, line));
                }
                index.lines.putIfAbsent(keyPath, line);
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
        final Map<String, Integer> keys = new HashMap<>();
        String key;
        int index;

        Frame(String base, boolean array) {
            this.base = base;
            this.array = array;
        }
    }

    /** Every key written twice in one map, in the order of the second. */
    List<Duplicate> duplicates() {
        return List.copyOf(duplicates);
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
