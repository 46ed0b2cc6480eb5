package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordsTest {
    @Test
    void splitsLikeAShellWithoutBeingOne() {
        assertThat(Words.split("git checkout --force ${sha}")).containsExactly("git", "checkout", "--force", "${sha}");
        assertThat(Words.split("echo 'a b' \"c \\\"d\\\"\" e\\ f")).containsExactly("echo", "a b", "c \"d\"", "e f");
        assertThat(Words.split("  ")).isEqualTo(List.of());
    }

    @Test
    void refusesWhatNeedsAShell() {
        for (String s : List.of("a | b", "a && b", "a; b", "a > f", "echo $(id)", "echo `id`")) {
            assertThatThrownBy(() -> Words.split(s)).hasMessageContaining("needs a shell");
        }
        assertThatThrownBy(() -> Words.split("echo 'x")).hasMessage("has an unclosed ' quote");
    }
}
