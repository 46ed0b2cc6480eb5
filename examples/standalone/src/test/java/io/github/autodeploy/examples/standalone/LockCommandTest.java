package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lock CLI never shows a server's escape sequences or the token, and keeps the token off plain http to other hosts. */
class LockCommandTest {
    @Test
    void whatTheServerSaysIsShownWithoutControlCharactersOrTheToken() {
        String token = "alice-token-0123456789abcdef";
        assertThat(LockCommand.shown("you sent Bearer " + token + " \u001b[2J\u001b]0;pwned\u0007", token))
                .isEqualTo("you sent Bearer ***  [2J ]0;pwned ")
                .doesNotContain(token, "\u001b", "\u0007");
    }

    @Test
    void aTokenIsNeverSentOverPlainHttpToAnotherMachine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LockCommand.run("lock", List.of("octo/app", "production", "--to", "http://10.255.255.1:18200", "--token",
                        "alice-token-0123456789abcdef", "--reason", "x"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("plain http to another machine")
                .doesNotContain("alice-token-0123456789abcdef");
    }
}
