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

/**
 * {@code serve} opens the store on a thread of its own while Tomcat binds its port: a store that cannot be
 * opened still stops the start with its one line, and the port bound meanwhile is let go.
 */
class StoreOpenedAlongsideTest {
    @Test
    void aStoreThatCannotBeOpenedStopsTheStartWithItsLineAndFreesThePort(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), """
                github: {webhook_secret: s3cret}
                pages: {token: pages-token-0123456789}
                store: {url: "jdbc:sqlite:%s/store/autodeploy.db"}
                repos:
                  octo/app: {folder: /srv/app, commands: [[make]]}
                """.formatted(notAFolder));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"serve", "--config", file.toString(), "--port", Integer.toString(port)},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).contains("store.url").doesNotContain("\tat ")
                .doesNotContain("\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("listening");
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }
}
