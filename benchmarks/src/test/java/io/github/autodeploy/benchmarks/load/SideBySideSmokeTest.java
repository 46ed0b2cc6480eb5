package io.github.autodeploy.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The side-by-side harness in its smoke mode (1-second rounds, tiny counts) against the standalone server
 * started from this class path: every row of the table comes out with a number, so the harness cannot rot.
 * The numbers themselves mean nothing here and nothing asserts them.
 */
class SideBySideSmokeTest {
    private static final String NUMBER = "[0-9][0-9,]*(\\.[0-9]+)?(-[0-9][0-9,]*(\\.[0-9]+)?)?";

    @Test
    void serverOptionsAreSplitIntoWordsAndBlankOnesAreNone() {
        assertThat(SideBySide.Options.parse(new String[] {"--server-opts", " -XX:+PreserveFramePointer   -Da=b "}).serverOptions())
                .containsExactly("-XX:+PreserveFramePointer", "-Da=b");
        assertThat(SideBySide.Options.parse(new String[] {"--server-opts", "  "}).serverOptions()).isEmpty();
        assertThat(SideBySide.Options.parse(new String[] {}).serverOptions()).isEmpty();
    }

    @Test
    void theSmokeRunMeasuresEveryRowOfTheTable() throws Exception {
        // --server-opts reaches every server's JVM: a server given a word it cannot take would not start
        SideBySide.Options options = SideBySide.Options.parse(new String[] {"--smoke", "--classpath", System.getProperty("java.class.path"),
            "--server-opts", " -XX:+PreserveFramePointer  -Dautodeploy.smoke=yes "});
        boolean peer = SideBySide.onPath("webhook");

        List<SideBySide.Row> rows = SideBySide.run(options, line -> System.out.println("[side-by-side] " + line));
        System.out.print(SideBySide.format(rows));

        List<SideBySide.Row> measured = rows.stream().filter(r -> !r.metric().startsWith("note:")).toList();
        assertThat(measured).extracting(SideBySide.Row::metric).hasSize(15)
                .anySatisfy(m -> assertThat(m).startsWith("deliveries/s, in-memory"))
                .anySatisfy(m -> assertThat(m).startsWith("deliveries/s, SQLite"))
                .anySatisfy(m -> assertThat(m).endsWith("store.sync: normal"))
                .anySatisfy(m -> assertThat(m).startsWith("deliveries/s, PostgreSQL"))
                .anySatisfy(m -> assertThat(m).contains("first round after start"))
                .anySatisfy(m -> assertThat(m).contains("warm"))
                .anySatisfy(m -> assertThat(m).startsWith("delivery to first command started, p50"))
                .anySatisfy(m -> assertThat(m).startsWith("delivery to first command started, SQLite"))
                .anySatisfy(m -> assertThat(m).startsWith("start to first 200"))
                .anySatisfy(m -> assertThat(m).startsWith("idle heap used"))
                .anySatisfy(m -> assertThat(m).startsWith("idle threads"))
                .anySatisfy(m -> assertThat(m).startsWith("idle RSS"))
                .anySatisfy(m -> assertThat(m).contains("a command printing"))
                .anySatisfy(m -> assertThat(m).startsWith("server CPU s for that command"))
                .anySatisfy(m -> assertThat(m).contains("read by cat"));
        for (SideBySide.Row row : measured) {
            boolean postgres = row.metric().contains("PostgreSQL");
            if (!postgres || options.postgres().isPresent()) {
                assertThat(row.autodeploy()).as(row.metric()).matches(NUMBER);
            }
            if (peer && !row.metric().startsWith("idle heap") && !row.metric().startsWith("server CPU")) {
                assertThat(row.peer()).as(row.metric()).matches(NUMBER);
            }
        }
    }
}
