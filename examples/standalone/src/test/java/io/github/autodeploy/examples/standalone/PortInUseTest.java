package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second robot on a port that is taken says so and exits, rather than running with its engine and no listener. */
class PortInUseTest {
    @Test
    void servingOnAPortInUseExitsWithOneLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), """
                github: {webhook_secret: s3cret}
                pages: {token: pages-token-0123456789}
                store: {url: memory}
                repos:
                  octo/app: {folder: /srv/app, commands: [[make]]}
                """);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"serve", "--config", file.toString(), "--port", Integer.toString(taken.getLocalPort())},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
            assertThat(code).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("could not listen on 127.0.0.1:" + taken.getLocalPort())
                    .doesNotContain("\tat ");
            assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("listening");
        }
    }
}
