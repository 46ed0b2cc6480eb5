package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.config.ConfigFile;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's Tomcat does its utility work (the async timeouts of webhook bodies) on one thread of its own, which
 * ends when the server closes: a body that stops half way is still answered 408 once its time is up.
 */
class UtilityThreadIT {
    @TempDir
    Path dir;

    @Test
    void oneUtilityThreadTimesOutAStalledBodyAndEndsWithTheServer() throws Exception {
        Path config = dir.resolve("autodeploy.yml");
        Files.writeString(config, """
                github:
                  webhook_secret: utility-secret
                pages:
                  open: true
                store:
                  url: memory
                repos:
                  example/app: {folder: %s, required_contexts: [], commands: [["true"]]}
                """.formatted(dir));
        long before = utilityThreads();
        StandaloneServer server = StandaloneServer.start(ConfigFile.load(config, Map.of()), "127.0.0.1", 0);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "X-GitHub-Event: ping\r\nX-GitHub-Delivery: 6f1c2d3e-0000-4000-8000-000000000001\r\n"
                    + "Content-Length: 100\r\n\r\n{\"zen\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(utilityThreads() - before).as("Tomcat's utility threads while serving").isEqualTo(1);

            assertThat(statusLine(s.getInputStream())).as("the answer to a body that stopped half way").contains(" 408 ");
        } finally {
            server.close();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> utilityThreads() == before);
    }

    private static long utilityThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("Catalina-utility-"))
                .count();
    }

    private static String statusLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
    }
}
