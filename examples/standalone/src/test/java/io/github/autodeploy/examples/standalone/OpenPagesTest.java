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

/** pages.open leaves everything open as an admin; the standalone server, with nothing in front of it, keeps it on loopback. */
class OpenPagesTest {
    private static final String CONFIG = """
            github: {webhook_secret: s3cret}
            pages: {open: true}
            store: {url: memory}
            repos:
              octo/app: {folder: /srv/app, commands: [[make]]}
            """;

    @Test
    void openPagesOnAnAddressOthersReachDoNotStart(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), CONFIG);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(Main.run(new String[] {"serve", "--config", file.toString(), "--port", "0", "--host", "0.0.0.0"}, o, e,
                Map.of())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("pages.open: true leaves the pages",
                "with --host 0.0.0.0 it does not start");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("listening");
    }
}
