package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's {@code ${PAGES_PASSWORD:-}} with nothing set: check-config reports it and serve does not start. */
class BlankCredentialTest {
    private static final String CONFIG = """
            github: {webhook_secret: s3cret}
            pages:
              username: admin
              password: ${PAGES_PASSWORD:-}
            repos:
              octo/app: {folder: /srv/app, commands: [[make]]}
            """;

    @Test
    void checkConfigReportsABlankPasswordAndServeRefusesToStart(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), CONFIG);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(Main.run(new String[] {"check-config", file.toString()}, o, e, Map.of())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("line 4: pages.password: is empty (${PAGES_PASSWORD} is empty or not set)");

        assertThat(Main.run(new String[] {"serve", "--config", file.toString(), "--port", "0"}, o, e, Map.of("PAGES_PASSWORD", "")))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("pages.password: is empty");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("listening");
    }
}
