package io.github.autodeploy.config;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Python literals (strings in every quoting, numbers, {@code True}/{@code False}/{@code None},
 * lists, tuples, dicts) and a module of top-level {@code NAME = literal} assignments, without running
 * anything: a name, a call or an expression is reported as not a literal. Values come back as {@code
 * String}, {@code Long} or {@code BigInteger}, {@code Double}, {@code Boolean}, {@link #NONE}, {@code
 * List} (lists and tuples) and {@code Map} (in the order written). Messages never quote a string's
 * text. Stateless and thread-safe.
 */
final class PythonLiterals {
    /** Python's {@code None}. */
    enum None { NONE }

    static final None NONE = None.NONE;
    private static final int MAX_DEPTH = 100;
    private static final Set<String> EXPRESSION_WORDS = Set.of("if", "else", "for", "and", "or", "not", "in", "is", "lambda");
    private static final Pattern NUMBER = Pattern.compile(
            "0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+"
            + "|(?:(?:[0-9](?:_?[0-9])*)?\\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?[jJ]?");

    private PythonLiterals() {
    }

    /** One top-level statement of a module. */
    sealed interface Statement {
        int line();
    }

    /** {@code name = value}, where the value is a literal. */
    record Assignment(int line, String name, Object value) implements Statement {
    }

    /** A statement that is not {@code NAME = literal}: what it is, for a person, without its values. */
    record Untranslatable(int line, String name, String why) implements Statement {
    }

    private enum Kind { STRING, NUMBER, NAME, OP, NEWLINE, EOF }

    /** A token; {@code notLiteral} names what a well-formed token is that this reader will not take (an f-string). */
    private record Token(Kind kind, String text, Object value, int line, int col, int indent, String notLiteral) {
        boolean is(String op) {
            return (kind == Kind.OP || kind == Kind.NAME) && text.equals(op);
        }

        String describe() {
            return switch (kind) {
                case STRING -> "a string";
                case NUMBER -> "a number";
                case NAME -> "the name " + text;
                case OP -> "'" + text + "'";
                case NEWLINE -> "the end of the statement";
                case EOF -> "the end of the file";
            };
        }
    }

    /** The value of one literal, the whole of {@code text}. */
    static Object parse(String file, String text) {
        List<Token> tokens = lex(file, text);
        List<List<Token>> statements = statements(tokens);
        if (statements.size() != 1) {
            Token t = statements.isEmpty() ? tokens.get(tokens.size() - 1) : statements.get(1).get(0);
            throw new PythonSyntaxException(file, t.line(), t.col(), statements.isEmpty() ? "expected a value, found nothing"
                    : "expected one value, found a second statement");
        }
        List<Token> s = statements.get(0);
        if (s.get(0).indent() > 0) {
            throw new PythonSyntaxException(file, s.get(0).line(), s.get(0).col(), "unexpected indent");
        }
        return new Parser(file, s).whole(0);
    }

    /** Every top-level statement of {@code text}, a Python module. */
    static List<Statement> module(String file, String text) {
        List<Statement> out = new ArrayList<>();
        boolean inBlock = false;
        for (List<Token> s : statements(lex(file, text))) {
            Token first = s.get(0);
            boolean opensBlock = s.size() >= 2 && s.get(s.size() - 2).is(":");
            if (first.indent() > 0) {
                if (!inBlock) {
                    throw new PythonSyntaxException(file, first.line(), first.col(), "unexpected indent");
                }
                continue;
            }
            inBlock = opensBlock;
            if (first.kind() == Kind.NAME && s.size() >= 2 && s.get(1).is("=") && !isKeyword(first.text())) {
                try {
                    out.add(new Assignment(first.line(), first.text(), new Parser(file, s.subList(2, s.size())).whole(0)));
                } catch (PythonSyntaxException.NotALiteral e) {
                    out.add(new Untranslatable(first.line(), first.text(), "cannot translate " + first.text()
                            + " = ... (not a literal: " + e.problem() + " at " + e.line() + ":" + e.column() + "); set it by hand"));
                }
                continue;
            }
            String what;
            if (first.is("import") || first.is("from")) {
                what = "an import";
            } else if (opensBlock) {
                what = "a block (" + (first.kind() == Kind.NAME ? first.text() + " ...:" : "...:") + ")";
            } else if (first.kind() == Kind.NAME && s.size() >= 2 && s.get(1).is("(")) {
                what = "a call of " + first.text() + "(...)";
            } else if (first.kind() == Kind.NAME && s.size() == 2) {
                what = "a bare name, " + first.text();
            } else {
                what = "not NAME = literal";
            }
            out.add(new Untranslatable(first.line(), first.kind() == Kind.NAME ? first.text() : "",
                    "cannot translate this statement (" + what + "); set it by hand"));
        }
        return out;
    }

    private static boolean isKeyword(String name) {
        return Set.of("import", "from", "if", "else", "elif", "for", "while", "def", "class", "return", "with", "try", "except",
                "finally", "del", "pass", "global", "assert", "lambda", "and", "or", "not", "in", "is", "True", "False", "None")
                .contains(name);
    }

    /** Groups tokens into statements (without their NEWLINE), dropping EOF. */
    private static List<List<Token>> statements(List<Token> tokens) {
        List<List<Token>> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token t : tokens) {
            if (t.kind() == Kind.NEWLINE || t.kind() == Kind.EOF) {
                if (!current.isEmpty()) {
                    current.add(t);
                    out.add(current);
                    current = new ArrayList<>();
                }
            } else {
                current.add(t);
            }
        }
        return out;
    }

    private static final class Parser {
        private final String file;
        private final List<Token> tokens;
        private int i;

        Parser(String file, List<Token> tokens) {
            this.file = file;
            this.tokens = tokens;
        }

        /** A value that is the whole statement. */
        Object whole(int depth) {
            Object v = value(depth);
            Token t = tokens.get(i);
            if (t.kind() != Kind.NEWLINE && t.kind() != Kind.EOF) {
                throw after(t, "the end of the statement");
            }
            return v;
        }

        private PythonSyntaxException after(Token t, String expected) {
            if (t.kind() == Kind.OP && "+-*/%@.([<>=!&|^~".contains(t.text()) || t.kind() == Kind.NAME && EXPRESSION_WORDS.contains(t.text())) {
                return new PythonSyntaxException.NotALiteral(file, t.line(), t.col(), "an expression (" + t.describe() + " after a value)");
            }
            return new PythonSyntaxException(file, t.line(), t.col(), "expected " + expected + ", found " + t.describe());
        }

        private Token next() {
            Token t = tokens.get(i);
            if (i < tokens.size() - 1) {
                i++;
            }
            return t;
        }

        private Object value(int depth) {
            Token t = next();
            if (depth > MAX_DEPTH) {
                throw new PythonSyntaxException(file, t.line(), t.col(), "nested deeper than " + MAX_DEPTH + " levels");
            }
            switch (t.kind()) {
                case STRING: {
                    StringBuilder sb = new StringBuilder();
                    Token s = t;
                    while (true) {
                        if (s.notLiteral() != null) {
                            throw new PythonSyntaxException.NotALiteral(file, s.line(), s.col(), s.notLiteral());
                        }
                        sb.append((String) s.value());
                        if (tokens.get(i).kind() != Kind.STRING) {
                            return sb.toString();
                        }
                        s = next();
                    }
                }
                case NUMBER:
                    if (t.notLiteral() != null) {
                        throw new PythonSyntaxException.NotALiteral(file, t.line(), t.col(), t.notLiteral());
                    }
                    return t.value();
                case NAME:
                    switch (t.text()) {
                        case "True":
                            return Boolean.TRUE;
                        case "False":
                            return Boolean.FALSE;
                        case "None":
                            return NONE;
                        default:
                            Token n = tokens.get(i);
                            throw new PythonSyntaxException.NotALiteral(file, t.line(), t.col(), n.is("(") ? "a call of " + t.text() + "(...)"
                                    : n.is(".") ? "a name, " + t.text() + "." + "..." : "a name, " + t.text());
                    }
                case OP:
                    return container(t, depth);
                default:
                    throw new PythonSyntaxException(file, t.line(), t.col(), "expected a value, found " + t.describe());
            }
        }

        private Object container(Token t, int depth) {
            switch (t.text()) {
                case "-", "+": {
                    Token n = tokens.get(i);
                    if (n.kind() == Kind.NUMBER && n.notLiteral() == null) {
                        next();
                        if (t.text().equals("+")) {
                            return n.value();
                        }
                        return n.value() instanceof Long l ? (l == Long.MIN_VALUE ? BigInteger.valueOf(l).negate() : (Object) (-l))
                                : n.value() instanceof BigInteger b ? normal(b.negate()) : (Object) (-(Double) n.value());
                    }
                    throw new PythonSyntaxException.NotALiteral(file, t.line(), t.col(), "an expression (" + t.describe() + " before "
                            + n.describe() + ")");
                }
                case "[":
                    return Collections.unmodifiableList(items("]", depth));
                case "(": {
                    if (tokens.get(i).is(")")) {
                        next();
                        return List.of();
                    }
                    Object first = value(depth + 1);
                    Token n = next();
                    if (n.is(")")) {
                        return first;
                    }
                    if (!n.is(",")) {
                        throw after(n, "',' or ')'");
                    }
                    List<Object> all = new ArrayList<>();
                    all.add(first);
                    all.addAll(items(")", depth));
                    return Collections.unmodifiableList(all);
                }
                case "{": {
                    Map<Object, Object> map = new LinkedHashMap<>();
                    while (!tokens.get(i).is("}")) {
                        Token keyAt = tokens.get(i);
                        if (keyAt.is("**")) {
                            throw new PythonSyntaxException.NotALiteral(file, keyAt.line(), keyAt.col(), "an unpacking (**)");
                        }
                        Object key = value(depth + 1);
                        Token colon = next();
                        if (!colon.is(":")) {
                            if (colon.is(",") || colon.is("}")) {
                                throw new PythonSyntaxException.NotALiteral(file, t.line(), t.col(), "a set");
                            }
                            throw after(colon, "':'");
                        }
                        if (key instanceof List<?> || key instanceof Map<?, ?>) {
                            throw new PythonSyntaxException(file, keyAt.line(), keyAt.col(), "a list or dict cannot be a dict key");
                        }
                        map.put(key, value(depth + 1));
                        Token sep = next();
                        if (sep.is("}")) {
                            return Collections.unmodifiableMap(map);
                        }
                        if (!sep.is(",")) {
                            throw after(sep, "',' or '}'");
                        }
                    }
                    next();
                    return Collections.unmodifiableMap(map);
                }
                case "*":
                    throw new PythonSyntaxException.NotALiteral(file, t.line(), t.col(), "an unpacking (*)");
                default:
                    throw new PythonSyntaxException(file, t.line(), t.col(), "expected a value, found " + t.describe());
            }
        }

        /** Items up to {@code close}, which is consumed; a trailing comma is allowed. */
        private List<Object> items(String close, int depth) {
            List<Object> list = new ArrayList<>();
            while (!tokens.get(i).is(close)) {
                Token at = tokens.get(i);
                if (at.is("*")) {
                    throw new PythonSyntaxException.NotALiteral(file, at.line(), at.col(), "an unpacking (*)");
                }
                list.add(value(depth + 1));
                Token sep = next();
                if (sep.is(close)) {
                    return list;
                }
                if (!sep.is(",")) {
                    throw after(sep, "',' or '" + close + "'");
                }
            }
            next();
            return list;
        }
    }

    private static Object normal(BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    // ---- the lexer ----

    private static List<Token> lex(String file, String text) {
        return new Lexer(file, text).run();
    }

    private static final class Lexer {
        private final String file;
        private final String s;
        private int pos;
        private int line = 1;
        private int lineStart;
        private final List<Token> out = new ArrayList<>();
        private final Deque<Token> open = new ArrayDeque<>();
        private int indent = -1; // the indent of the statement's first token, -1 once it is taken

        Lexer(String file, String text) {
            this.file = file;
            this.s = text;
        }

        private int col() {
            return pos - lineStart + 1;
        }

        private PythonSyntaxException error(String problem) {
            return new PythonSyntaxException(file, line, col(), problem);
        }

        private void add(Kind kind, String text, Object value, int l, int c, String notLiteral) {
            out.add(new Token(kind, text, value, l, c, Math.max(indent, 0), notLiteral));
            indent = -1;
        }

        private boolean statementOpen() {
            return !out.isEmpty() && out.get(out.size() - 1).kind() != Kind.NEWLINE;
        }

        private void newline() {
            if (open.isEmpty() && statementOpen()) {
                add(Kind.NEWLINE, "\n", null, line, col(), null);
            }
            pos += s.startsWith("\r\n", pos) ? 2 : 1;
            line++;
            lineStart = pos;
        }

        List<Token> run() {
            boolean lineStartPending = true;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (lineStartPending && open.isEmpty() && !statementOpen()) {
                    int n = 0;
                    while (pos + n < s.length() && (s.charAt(pos + n) == ' ' || s.charAt(pos + n) == '\t' || s.charAt(pos + n) == '\f')) {
                        n++;
                    }
                    indent = n;
                    pos += n;
                    lineStartPending = false;
                    continue;
                }
                lineStartPending = false;
                if (c == ' ' || c == '\t' || c == '\f') {
                    pos++;
                } else if (c == '#') {
                    while (pos < s.length() && s.charAt(pos) != '\n' && s.charAt(pos) != '\r') {
                        pos++;
                    }
                } else if (c == '\n' || c == '\r') {
                    newline();
                    lineStartPending = true;
                } else if (c == '\\') {
                    if (s.startsWith("\n", pos + 1) || s.startsWith("\r", pos + 1)) {
                        pos++;
                        pos += s.startsWith("\r\n", pos) ? 2 : 1;
                        line++;
                        lineStart = pos;
                    } else {
                        throw error("a backslash outside a string must be the last character of its line");
                    }
                } else if (c == '"' || c == '\'') {
                    string("");
                } else if (Character.isDigit(c) || c == '.' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))) {
                    number();
                } else if (Character.isLetter(c) || c == '_') {
                    int start = pos;
                    while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                        pos++;
                    }
                    String word = s.substring(start, pos);
                    if (pos < s.length() && (s.charAt(pos) == '"' || s.charAt(pos) == '\'') && word.length() <= 2
                            && word.chars().allMatch(ch -> "rRbBuUfF".indexOf(ch) >= 0)) {
                        pos = start;
                        string(word);
                    } else {
                        add(Kind.NAME, word, null, line, start - lineStart + 1, null);
                    }
                } else if ("([{".indexOf(c) >= 0) {
                    if (open.size() >= MAX_DEPTH) {
                        throw error("brackets nested deeper than " + MAX_DEPTH + " levels");
                    }
                    add(Kind.OP, String.valueOf(c), null, line, col(), null);
                    open.push(out.get(out.size() - 1));
                    pos++;
                } else if (")]}".indexOf(c) >= 0) {
                    if (open.isEmpty()) {
                        throw error("'" + c + "' closes nothing");
                    }
                    Token o = open.pop();
                    char want = o.text().equals("(") ? ')' : o.text().equals("[") ? ']' : '}';
                    if (c != want) {
                        throw error("'" + c + "' does not close '" + o.text() + "' opened at " + o.line() + ":" + o.col()
                                + "; expected '" + want + "'");
                    }
                    add(Kind.OP, String.valueOf(c), null, line, col(), null);
                    pos++;
                } else if (c == ';' && open.isEmpty()) {
                    if (statementOpen()) {
                        add(Kind.NEWLINE, ";", null, line, col(), null);
                    }
                    pos++;
                } else if ("=,:.+-*/%@<>!&|^~;".indexOf(c) >= 0) {
                    int l = line;
                    int cc = col();
                    String op = String.valueOf(c);
                    if (c == '*' && s.startsWith("**", pos) || c == '=' && s.startsWith("==", pos)) {
                        op = s.substring(pos, pos + 2);
                    }
                    pos += op.length();
                    add(Kind.OP, op, null, l, cc, null);
                } else {
                    throw error(c >= 0x21 && c < 0x7f ? "unexpected character '" + c + "'"
                            : String.format("unexpected character U+%04X", (int) c));
                }
            }
            if (!open.isEmpty()) {
                Token o = open.peek();
                throw new PythonSyntaxException(file, o.line(), o.col(), "'" + o.text() + "' is never closed");
            }
            if (statementOpen()) {
                add(Kind.NEWLINE, "\n", null, line, col(), null);
            }
            add(Kind.EOF, "", null, line, col(), null);
            return out;
        }

        private void number() {
            int l = line;
            int c = col();
            Matcher m = NUMBER.matcher(s).region(pos, s.length());
            if (!m.lookingAt() || m.end() == pos) {
                throw error("not a number");
            }
            String text = m.group();
            pos = m.end();
            if (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '.')) {
                throw new PythonSyntaxException(file, l, c, text.matches("0+[0-9]*") && pos < s.length() && Character.isDigit(s.charAt(pos))
                        ? "leading zeros are not allowed in a decimal number (write 0o for octal)" : "not a number");
            }
            String digits = text.replace("_", "");
            if (digits.matches("0+[0-9]*[1-9][0-9]*")) {
                throw new PythonSyntaxException(file, l, c, "leading zeros are not allowed in a decimal number (write 0o for octal)");
            }
            if (digits.endsWith("j") || digits.endsWith("J")) {
                add(Kind.NUMBER, text, null, l, c, "a complex number");
                return;
            }
            String lower = digits.toLowerCase(java.util.Locale.ROOT);
            Object value;
            if (lower.startsWith("0x")) {
                value = normal(new BigInteger(digits.substring(2), 16));
            } else if (lower.startsWith("0o")) {
                value = normal(new BigInteger(digits.substring(2), 8));
            } else if (lower.startsWith("0b")) {
                value = normal(new BigInteger(digits.substring(2), 2));
            } else if (lower.contains(".") || lower.contains("e")) {
                value = Double.parseDouble(digits);
            } else {
                value = normal(new BigInteger(digits));
            }
            add(Kind.NUMBER, text, value, l, c, null);
        }

        private void string(String prefix) {
            int l = line;
            int c = col();
            String p = prefix.toLowerCase(java.util.Locale.ROOT);
            if (!Set.of("", "r", "u", "b", "f", "br", "rb", "fr", "rf").contains(p)) {
                throw error("'" + prefix + "' is not a string prefix");
            }
            boolean raw = p.contains("r");
            pos += prefix.length();
            char q = s.charAt(pos);
            boolean triple = s.startsWith(String.valueOf(q).repeat(3), pos);
            pos += triple ? 3 : 1;
            StringBuilder v = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw new PythonSyntaxException(file, l, c, "the string that starts here is never closed");
                }
                char ch = s.charAt(pos);
                if (ch == q && (!triple || s.startsWith(String.valueOf(q).repeat(3), pos))) {
                    pos += triple ? 3 : 1;
                    break;
                }
                if (ch == '\n' || ch == '\r') {
                    if (!triple) {
                        throw new PythonSyntaxException(file, l, c, "the string that starts here is not closed on its line");
                    }
                    v.append('\n');
                    pos += s.startsWith("\r\n", pos) ? 2 : 1;
                    line++;
                    lineStart = pos;
                    continue;
                }
                if (ch == '\\') {
                    escape(v, raw, p.contains("b"));
                    continue;
                }
                v.append(ch);
                pos++;
            }
            add(Kind.STRING, prefix, v.toString(), l, c, p.contains("f") ? "an f-string" : p.contains("b") ? "a bytes string" : null);
        }

        /** Reads the escape at {@code pos} (a backslash) into {@code v}. */
        private void escape(StringBuilder v, boolean raw, boolean bytes) {
            if (pos + 1 >= s.length()) {
                throw new PythonSyntaxException(file, line, col(), "a backslash at the end of the file");
            }
            char e = s.charAt(pos + 1);
            if (e == '\n' || e == '\r') {
                if (raw) {
                    v.append('\\').append('\n');
                }
                pos += 1;
                pos += s.startsWith("\r\n", pos) ? 2 : 1;
                line++;
                lineStart = pos;
                return;
            }
            if (raw) {
                v.append('\\').append(e);
                pos += 2;
                return;
            }
            int at = col();
            pos += 2;
            switch (e) {
                case '\\', '\'', '"' -> v.append(e);
                case 'a' -> v.append('\u0007');
                case 'b' -> v.append('\b');
                case 'f' -> v.append('\f');
                case 'n' -> v.append('\n');
                case 'r' -> v.append('\r');
                case 't' -> v.append('\t');
                case 'v' -> v.append('\u000b');
                case 'x' -> v.appendCodePoint(hex(2, at, "\\x"));
                case 'u' -> {
                    if (bytes) {
                        v.append("\\u");
                    } else {
                        v.appendCodePoint(hex(4, at, "\\u"));
                    }
                }
                case 'U' -> {
                    if (bytes) {
                        v.append("\\U");
                    } else {
                        int cp = hex(8, at, "\\U");
                        if (cp > Character.MAX_CODE_POINT) {
                            throw new PythonSyntaxException(file, line, at, "\\U escape beyond U+10FFFF");
                        }
                        v.appendCodePoint(cp);
                    }
                }
                case 'N' -> {
                    int close = s.indexOf('}', pos);
                    int eol = s.indexOf('\n', pos);
                    if (bytes || !s.startsWith("{", pos) || close < 0 || (eol >= 0 && eol < close)) {
                        throw new PythonSyntaxException(file, line, at, "\\N needs a character name in braces");
                    }
                    try {
                        v.appendCodePoint(Character.codePointOf(s.substring(pos + 1, close)));
                    } catch (IllegalArgumentException ex) {
                        throw new PythonSyntaxException(file, line, at, "\\N{...} names no character");
                    }
                    pos = close + 1;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int n = e - '0';
                        for (int k = 0; k < 2 && pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '7'; k++) {
                            n = n * 8 + s.charAt(pos++) - '0';
                        }
                        v.appendCodePoint(n);
                    } else {
                        pos--; // an unknown escape keeps its backslash, as Python does; the character is read next
                        v.append('\\');
                    }
                }
            }
        }

        private int hex(int n, int at, String what) {
            if (pos + n > s.length() || !s.substring(pos, pos + n).matches("[0-9a-fA-F]{" + n + "}")) {
                throw new PythonSyntaxException(file, line, at, what + " needs " + n + " hex digits");
            }
            long cp = Long.parseLong(s.substring(pos, pos + n), 16);
            pos += n;
            return cp > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) cp;
        }
    }
}
