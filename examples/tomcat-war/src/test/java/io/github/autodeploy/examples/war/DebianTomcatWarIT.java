package io.github.autodeploy.examples.war;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built WAR in a stock Tomcat 10.1: Debian's {@code tomcat10} package (which {@code .ci/run}
 * installs), started with its own CATALINA_BASE on a free port, answering a signed ping.
 */
class DebianTomcatWarIT {
    private static final Path CATALINA_HOME = Path.of("/usr/share/tomcat10");
    private static final Path WAR = Path.of("target/autodeploy.war").toAbsolutePath();
    @TempDir
    Path base;

    @Test
    void aStockTomcatDeploysTheWarAndItAnswersASignedPing() throws Exception {
        assertThat(CATALINA_HOME.resolve("bin/catalina.sh")).as("Debian's tomcat10 package; .ci/run installs it").exists();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        for (String dir : new String[] {"conf", "logs", "webapps", "work", "temp"}) {
            Files.createDirectories(base.resolve(dir));
        }
        for (String f : new String[] {"web.xml", "context.xml", "catalina.properties", "logging.properties", "tomcat-users.xml",
                "jaspic-providers.xml"}) {
            Files.copy(CATALINA_HOME.resolve("etc").resolve(f), base.resolve("conf").resolve(f));
        }
        Files.writeString(base.resolve("conf/server.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <Server port="-1" shutdown="SHUTDOWN">
                  <Service name="Catalina">
                    <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000"/>
                    <Engine name="Catalina" defaultHost="localhost">
                      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false"/>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(port));
        Files.copy(WAR, base.resolve("webapps/autodeploy.war"), StandardCopyOption.REPLACE_EXISTING);
        Path config = base.resolve("autodeploy.yml");
        Files.writeString(config, """
                github: {webhook_secret: war-secret}
                repos:
                  octo/app: {folder: /tmp, commands: [[true]]}
                """);

        ProcessBuilder pb = new ProcessBuilder(CATALINA_HOME.resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true).redirectOutput(base.resolve("logs/console.log").toFile());
        pb.environment().put("CATALINA_HOME", CATALINA_HOME.toString());
        pb.environment().put("CATALINA_BASE", base.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("AUTODEPLOY_CONFIG", config.toString());
        Process tomcat = pb.start();
        try {
            String url = "http://127.0.0.1:" + port + "/autodeploy/hooks/github";
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> ping(url, "war-secret").statusCode() == 200);
            HttpResponse<String> pong = ping(url, "war-secret");
            assertThat(pong.body()).isEqualTo("{\"result\":\"pong\",\"reason\":\"pong\"}");
            assertThat(ping(url, "wrong").statusCode()).isEqualTo(401);
            HttpResponse<String> pages = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/autodeploy/deployments")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(pages.statusCode()).isEqualTo(401);
            HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/autodeploy/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).isEqualTo("{\"status\":\"up\"}");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/autodeploy/readyz")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).startsWith("{\"ready\":true,\"store\":\"reachable\",\"recovery\":\"done\"");
            });
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("Tomcat's console:\n" + tail(base.resolve("logs/console.log")), e);
        } finally {
            tomcat.destroy();
            if (!tomcat.waitFor(30, TimeUnit.SECONDS)) {
                tomcat.destroyForcibly();
            }
        }
    }

    private static HttpResponse<String> ping(String url, String secret) throws Exception {
        byte[] body = "{\"zen\":\"Non-blocking is better than blocking.\",\"hook_id\":1}".getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", "war-" + System.nanoTime())
                .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
        } catch (IOException e) {
            return "(no console log: " + e.getMessage() + ")";
        }
    }
}
