package io.github.autodeploy.core.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How a step's session is found in /proc: the stat line's session field, whatever the command's name holds. */
class StepSessionTest {

    private static long session(String stat) {
        byte[] bytes = stat.getBytes(StandardCharsets.US_ASCII);
        return StepSession.sessionField(bytes, bytes.length);
    }

    @Test
    void theSessionIsTheSixthFieldOfAStatLine() {
        assertThat(session("4242 (deploy.sh) S 4200 4242 4242 0 -1 4194560 193 0 0 0")).isEqualTo(4242);
        assertThat(session("17 (sleep) R 1 16 9 0 -1")).isEqualTo(9);
    }

    @Test
    void aCommandNameWithParenthesesAndSpacesDoesNotShiftTheFields() {
        assertThat(session("77 (a) S 1 2 3 (x) S 5 6 7 0 -1")).isEqualTo(7);
    }

    @Test
    void aLineCutBeforeTheSessionOrWithoutACommandIsNotRead() {
        assertThat(session("77 (x) S 5 6")).isEqualTo(-1);
        assertThat(session("77 x S 5 6 7 0")).isEqualTo(-1);
        assertThat(session("")).isEqualTo(-1);
    }

    @Test
    void thisProcessIsAMemberOfItsOwnSession() throws IOException {
        Path self = Path.of("/proc/self/stat");
        assumeTrue(Files.isReadable(self), "needs /proc");
        String stat = Files.readString(self, StandardCharsets.UTF_8);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long sid = Long.parseLong(fields[3]);

        assertThat(StepSession.sessionOf(Long.toString(ProcessHandle.current().pid()), new byte[256])).isEqualTo(sid);
        assertThat(StepSession.sessionMembers(sid)).contains(ProcessHandle.current().pid());
    }

    @Test
    void aProcessThatIsGoneHasNoSession() {
        assertThat(StepSession.sessionOf("999999999", new byte[256])).isEqualTo(-1);
    }
}
