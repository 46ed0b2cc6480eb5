package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Python literal reader: what it reads, and where it says a text is wrong. */
class PythonLiteralsTest {

    private static Object parse(String text) {
        return PythonLiterals.parse("config.py", text);
    }

    @Test
    void readsStringsInEveryQuotingWithTheirEscapes() {
        assertThat(parse("'a\\'b'")).isEqualTo("a'b");
        assertThat(parse("\"a\\n\\t\\x41\\101\\u00e9\\U0001F600\\N{BULLET}\"")).isEqualTo("a\n\tAAé\uD83D\uDE00\u2022");
        assertThat(parse("r'C:\\new\\d'")).isEqualTo("C:\\new\\d");
        assertThat(parse("'''one\ntwo \"quoted\"'''")).isEqualTo("one\ntwo \"quoted\"");
        assertThat(parse("\"\"\"it's\"\"\"")).isEqualTo("it's");
        assertThat(parse("'unknown \\d escape'")).isEqualTo("unknown \\d escape");
        assertThat(parse("('git ' \"pull\"\n  ' origin')")).isEqualTo("git pull origin");
        assertThat(parse("'joined \\\nline'")).isEqualTo("joined line");
    }

    @Test
    void readsNumbersConstantsAndContainers() {
        assertThat(parse("8_000")).isEqualTo(8000L);
        assertThat(parse("-0x1F")).isEqualTo(-31L);
        assertThat(parse("0o17")).isEqualTo(15L);
        assertThat(parse("0b101")).isEqualTo(5L);
        assertThat(parse("99999999999999999999")).isEqualTo(new BigInteger("99999999999999999999"));
        assertThat(parse("2.5e3")).isEqualTo(2500.0);
        assertThat(parse(".5")).isEqualTo(0.5);
        assertThat(parse("[True, False, None]")).isEqualTo(List.of(true, false, PythonLiterals.NONE));
        assertThat(parse("(1,)")).isEqualTo(List.of(1L));
        assertThat(parse("()")).isEqualTo(List.of());
        assertThat(parse("(1)")).isEqualTo(1L);
        assertThat(parse("{'a': [1, 2,], 'b': {},  # a comment\n}")).isEqualTo(Map.of("a", List.of(1L, 2L), "b", Map.of()));
    }

    @Test
    void readsAModuleOfAssignmentsAndNamesWhatItCannotTranslate() {
        List<PythonLiterals.Statement> s = PythonLiterals.module("config.py", """
                import os
                A = [1,
                     2]  # continued inside brackets
                B = 'x' \\
                    'y'
                C = os.environ.get("C")
                if A:
                    D = 1
                E = 3; F = 4
                """);
        assertThat(s).containsExactly(
                new PythonLiterals.Untranslatable(1, "import", "cannot translate this statement (an import); set it by hand"),
                new PythonLiterals.Assignment(2, "A", List.of(1L, 2L)),
                new PythonLiterals.Assignment(4, "B", "xy"),
                new PythonLiterals.Untranslatable(6, "C", "cannot translate C = ... (not a literal: a name, os.... at 6:5); set it by hand"),
                new PythonLiterals.Untranslatable(7, "if", "cannot translate this statement (a block (if ...:)); set it by hand"),
                new PythonLiterals.Assignment(9, "E", 3L),
                new PythonLiterals.Assignment(9, "F", 4L));
    }

    @Test
    void callsNamesAndExpressionsAreNotLiterals() {
        assertThatThrownBy(() -> parse("os.environ.get('X')")).isInstanceOf(PythonSyntaxException.NotALiteral.class)
                .hasMessage("config.py:1:1: a name, os....");
        assertThatThrownBy(() -> parse("getenv('X')")).hasMessage("config.py:1:1: a call of getenv(...)");
        assertThatThrownBy(() -> parse("[1, folder]")).hasMessage("config.py:1:5: a name, folder");
        assertThatThrownBy(() -> parse("'a' + 'b'")).hasMessage("config.py:1:5: an expression ('+' after a value)");
        assertThatThrownBy(() -> parse("f'{x}'")).hasMessage("config.py:1:1: an f-string");
        assertThatThrownBy(() -> parse("{1, 2}")).hasMessage("config.py:1:1: a set");
    }

    @Test
    void malformedTextIsPlacedAtItsLineAndColumnWithoutQuotingIt() {
        assertThatThrownBy(() -> parse("[\n 'secret-value\n]")).isInstanceOf(PythonSyntaxException.class)
                .hasMessage("config.py:2:2: the string that starts here is not closed on its line");
        assertThatThrownBy(() -> parse("'''secret-value")).hasMessage("config.py:1:1: the string that starts here is never closed");
        assertThatThrownBy(() -> parse("{'a': [1, 2}")).hasMessage("config.py:1:12: '}' does not close '[' opened at 1:7; expected ']'");
        assertThatThrownBy(() -> parse("[1, 2")).hasMessage("config.py:1:1: '[' is never closed");
        assertThatThrownBy(() -> parse("[1, 2]]")).hasMessage("config.py:1:7: ']' closes nothing");
        assertThatThrownBy(() -> parse("[1 2]")).hasMessage("config.py:1:4: expected ',' or ']', found a number");
        assertThatThrownBy(() -> parse("0777")).hasMessage("config.py:1:1: leading zeros are not allowed in a decimal number (write 0o for octal)");
        assertThatThrownBy(() -> parse("'\\x4'")).hasMessage("config.py:1:2: \\x needs 2 hex digits");
        assertThatThrownBy(() -> parse("{'a' 1}")).hasMessage("config.py:1:6: expected ':', found a number");
        assertThatThrownBy(() -> parse("[" .repeat(101) + "]".repeat(101))).hasMessageContaining("deeper than 100");
    }
}
