package io.github.autodeploy.core.store;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A run of log lines kept as one text (each line followed by a {@code '\n'}) and where each line ends in it, so
 * that a chunk of a command's output is passed on, buffered and stored as one array rather than one {@code String}
 * per line; as a {@code List<String>} it cuts a line out when one is asked for. A line may itself hold a
 * {@code '\n'}: the ends say where lines end, not the text. Immutable and thread-safe.
 */
public final class LogLines extends AbstractList<String> implements RandomAccess {
    private static final LogLines EMPTY = new LogLines("", new int[0], 0, true);
    private final String text;
    /** {@code ends[i]}: where the {@code '\n'} after line {@code i} is in {@code text}; increasing. */
    private final int[] ends;
    private final int size;
    private final boolean latin1;

    private LogLines(String text, int[] ends, int size, boolean latin1) {
        this.text = text;
        this.ends = ends;
        this.size = size;
        this.latin1 = latin1;
    }

    /**
     * The first {@code size} lines of {@code text}, line {@code i} ending just before {@code ends[i]}, where a
     * {@code '\n'} must be; the last of them is the text's last character. {@code latin1}: the caller knows that no
     * character is above U+00FF (false when it does not know). The array is kept, not copied: the caller gives it up.
     */
    public static LogLines of(String text, int[] ends, int size, boolean latin1) {
        if (size < 0 || size > ends.length) {
            throw new IllegalArgumentException("size " + size + " outside the " + ends.length + " ends given");
        }
        if (size == 0 ? !text.isEmpty() : ends[size - 1] != text.length() - 1) {
            throw new IllegalArgumentException("the last line must end at the end of the text");
        }
        int previous = -1;
        for (int i = 0; i < size; i++) {
            if (ends[i] <= previous || text.charAt(ends[i]) != '\n') {
                throw new IllegalArgumentException("line " + i + " does not end in a '\\n' after the line before it");
            }
            previous = ends[i];
        }
        return size == 0 ? EMPTY : new LogLines(text, ends, size, latin1);
    }

    /** One line. */
    public static LogLines of(String line) {
        return new LogLines(line + "\n", new int[] {line.length()}, 1, latin1(line, 0, line.length()));
    }

    /** These lines as one text: {@code lines} itself when it is a {@code LogLines}. */
    public static LogLines copyOf(List<String> lines) {
        if (lines instanceof LogLines l) {
            return l;
        }
        if (lines.isEmpty()) {
            return EMPTY;
        }
        int length = 0;
        for (String line : lines) {
            length += line.length() + 1;
        }
        StringBuilder text = new StringBuilder(length);
        int[] ends = new int[lines.size()];
        boolean latin1 = true;
        int i = 0;
        for (String line : lines) {
            latin1 = latin1 && latin1(line, 0, line.length());
            text.append(line).append('\n');
            ends[i++] = text.length() - 1;
        }
        return new LogLines(text.toString(), ends, ends.length, latin1);
    }

    /** The lines of {@code parts} in order, as one text: one copy of the characters. */
    public static LogLines concat(List<LogLines> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int lines = 0;
        boolean latin1 = true;
        List<String> texts = new ArrayList<>(parts.size());
        for (LogLines part : parts) {
            lines += part.size;
            latin1 &= part.latin1;
            texts.add(part.text);
        }
        if (lines == 0) {
            return EMPTY;
        }
        int[] ends = new int[lines];
        int at = 0;
        int offset = 0;
        for (LogLines part : parts) {
            for (int i = 0; i < part.size; i++) {
                ends[at++] = part.ends[i] + offset;
            }
            offset += part.text.length();
        }
        return new LogLines(String.join("", texts), ends, lines, latin1);
    }

    /** True when no character is above U+00FF in {@code text[from, to)}. */
    public static boolean latin1(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String get(int index) {
        return text.substring(start(index), end(index));
    }

    @Override
    public int size() {
        return size;
    }

    /** The lines, each followed by a {@code '\n'}. */
    public String text() {
        return text;
    }

    /** Where line {@code index} begins in {@link #text()}. */
    public int start(int index) {
        return index == 0 ? 0 : end(index - 1) + 1;
    }

    /** Where line {@code index} ends in {@link #text()} (its {@code '\n'}). */
    public int end(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("line " + index + " of " + size);
        }
        return ends[index];
    }

    /** How many characters line {@code index} has. */
    public int length(int index) {
        return end(index) - start(index);
    }

    /** True when no character is above U+00FF (each takes one byte in a {@code String}); false when not known. */
    public boolean latin1() {
        return latin1;
    }

    /** The lines from {@code index} on, their text copied out (so the lines before it are no longer held). */
    public LogLines from(int index) {
        if (index == 0) {
            return this;
        }
        if (index == size) {
            return EMPTY;
        }
        int offset = start(index);
        int[] moved = Arrays.copyOfRange(ends, index, size);
        for (int i = 0; i < moved.length; i++) {
            moved[i] -= offset;
        }
        return new LogLines(text.substring(offset), moved, moved.length, latin1);
    }
}
