package io.github.autodeploy.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogLinesTest {

    @Test
    void readsAsTheLinesOfItsText() {
        LogLines lines = LogLines.of("one\ntwo\n\nfour\n", new int[] {3, 7, 8, 13, 0, 0}, 4, true);
        assertThat(lines).containsExactly("one", "two", "", "four");
        assertThat(lines.length(3)).isEqualTo(4);
        assertThat(lines.start(3)).isEqualTo(9);
        assertThat(lines.latin1()).isTrue();
    }

    @Test
    void refusesEndsThatAreNotLineEndsOfTheText() {
        assertThatThrownBy(() -> LogLines.of("one\ntwo\n", new int[] {3}, 1, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogLines.of("one\ntwo\n", new int[] {2, 7}, 2, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogLines.of("one\ntwo\n", new int[] {7, 3}, 2, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogLines.of("one\n", new int[] {3}, 2, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogLines.of("x", new int[0], 0, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLineMayHoldALineBreakSinceTheEndsSayWhereLinesEnd() {
        LogLines lines = LogLines.copyOf(List.of("a\nb", "c"));
        assertThat(lines).containsExactly("a\nb", "c");
        assertThat(LogLines.concat(List.of(lines, LogLines.of("d\ne")))).containsExactly("a\nb", "c", "d\ne");
    }

    @Test
    void concatenatesInOrderAndKnowsLatin1OnlyWhenEveryPartIs() {
        LogLines wide = LogLines.copyOf(List.of("\u2713 done"));
        LogLines joined = LogLines.concat(List.of(LogLines.of("first"), LogLines.copyOf(List.of("second", "third")), wide));
        assertThat(joined).containsExactly("first", "second", "third", "\u2713 done");
        assertThat(joined.text()).isEqualTo("first\nsecond\nthird\n\u2713 done\n");
        assertThat(joined.latin1()).isFalse();
        assertThat(wide.latin1()).isFalse();
        assertThat(LogLines.copyOf(List.of("caf\u00e9")).latin1()).isTrue();
    }

    @Test
    void theLinesFromOneOnHoldOnlyTheirOwnText() {
        LogLines lines = LogLines.copyOf(List.of("one", "two", "three"));
        LogLines rest = lines.from(1);
        assertThat(rest).containsExactly("two", "three");
        assertThat(rest.text()).isEqualTo("two\nthree\n");
        assertThat(lines.from(3)).isEmpty();
        assertThat(lines.from(0)).isSameAs(lines);
    }

    @Test
    void aListOfLogLinesIsTakenAsItIsAndEmptyListsAreEqual() {
        LogLines lines = LogLines.copyOf(List.of("one"));
        assertThat(LogLines.copyOf(lines)).isSameAs(lines);
        assertThat(LogLines.copyOf(List.of())).isEmpty();
        assertThat(LogLines.concat(List.of(LogLines.copyOf(List.of()), LogLines.copyOf(List.of())))).isEmpty();
        assertThat(lines).isEqualTo(List.of("one"));
    }
}
