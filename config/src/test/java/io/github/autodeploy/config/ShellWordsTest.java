package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
    @Test
    void splitsLikeAShellWithoutBeingOne() {
        assertThat(ShellWords.split("git checkout --force ${sha}")).containsExactly("git", "checkout", "--force", "${sha}");
        assertThat(ShellWords.split("echo 'a b' \"c \\\"d\\\"\" e\\ f")).containsExactly("echo", "a b", "c \"d\"", "e f");
        assertThat(ShellWords.split("  ")).isEqualTo(List.of());
    }

    @Test
    void refusesWhatNeedsAShell() {
        for (String s : List.of("a | b", "a && b", "a; b", "a > f", "echo $(id)", "echo `id`")) {
            assertThatThrownBy(() -> ShellWords.split(s)).hasMessageContaining("needs a shell");
        }
        assertThatThrownBy(() -> ShellWords.split("echo 'x")).hasMessage("has an unclosed ' quote");
    }
}
