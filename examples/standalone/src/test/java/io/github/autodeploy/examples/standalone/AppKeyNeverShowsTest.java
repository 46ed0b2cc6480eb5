package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub App's private key ({@code github.private_key}) shows nowhere the operator looks: not in
 * {@code check-config}'s summary of a valid file, not in its list of problems, and not in the one line
 * with which {@code serve} refuses a key it cannot read.
 */
class AppKeyNeverShowsTest {
    @TempDir
    Path dir;

    private static String pem() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static String config(String appId) {
        return """
                github:
                  webhook_secret: s3cret
                  app_id: %s
                  private_key: ${GITHUB_APP_PRIVATE_KEY}
                  token: ghp_app_key_never_shows_1
                store: {url: memory}
                repos:
                  octo/app: {folder: /srv/app, commands: [[make]], protect: true, required_contexts: [ci/build]}
                """.formatted(appId);
    }

    private record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Run run(Map<String, String> env, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertNoKeyIn(String text, String pem) {
        for (String line : pem.split("\n")) {
            if (!line.startsWith("-----")) {
                assertThat(text).doesNotContain(line);
            }
        }
    }

    @Test
    void checkConfigOfAValidFileShowsNoKey() throws Exception {
        String pem = pem();
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), config("123456"));
        Run r = run(Map.of("GITHUB_APP_PRIVATE_KEY", pem), "check-config", file.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("is valid");
        assertNoKeyIn(r.all(), pem);
    }

    @Test
    void checkConfigListsProblemsWithoutTheKey() throws Exception {
        String pem = pem();
        Path inEnv = Files.writeString(dir.resolve("autodeploy.yml"), config("my-app"));
        Run r = run(Map.of("GITHUB_APP_PRIVATE_KEY", pem), "check-config", inEnv.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("line 3: github.app_id: must be the App's id, a positive number such as 123456");
        assertNoKeyIn(r.all(), pem);

        Path inFile = Files.writeString(dir.resolve("in-file.yml"), config("my-app")
                .replace("${GITHUB_APP_PRIVATE_KEY}", "|\n" + pem.indent(4)));
        Run r2 = run(Map.of(), "check-config", inFile.toString());
        assertThat(r2.code()).isEqualTo(1);
        assertThat(r2.out()).contains("github.app_id: must be the App's id");
        assertNoKeyIn(r2.all(), pem);
    }

    @Test
    void checkConfigAndServeRefuseAKeyTheyCannotReadWithoutShowingIt() throws Exception {
        String garbled = "-----BEGIN RSA PRIVATE KEY-----\nTUlJRXBBSUJBQUtDQVFFQTBaM1Zz-garbled-secret-body\n-----END RSA PRIVATE KEY-----\n";
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), config("123456"));
        for (String command : List.of("check-config", "serve")) {
            Run r = command.equals("serve")
                    ? run(Map.of("GITHUB_APP_PRIVATE_KEY", garbled), "serve", "--config", file.toString(), "--port", "0")
                    : run(Map.of("GITHUB_APP_PRIVATE_KEY", garbled), "check-config", file.toString());
            assertThat(r.code()).as(command).isEqualTo(1);
            assertThat(r.all()).as(command).contains("line 4: github.private_key: cannot be read as the App's RSA private key "
                    + "(truncated, another kind of key, or encrypted); use the .pem file GitHub gave you")
                    .doesNotContain("garbled-secret-body").doesNotContain("listening");
        }
    }
}
