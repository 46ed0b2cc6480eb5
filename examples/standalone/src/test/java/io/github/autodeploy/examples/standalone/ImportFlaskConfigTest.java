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

/** {@code autodeploy import-flask-config}: its output, its exit codes, and no secret on either stream. */
class ImportFlaskConfigTest {
    private static final String SECRET = "flask-secret-never-printed";
    private static final String TOKEN = "ghp_flaskTokenNeverPrinted";
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run run(String python) throws Exception {
        Path file = dir.resolve("config.py");
        Files.writeString(file, python);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"import-flask-config", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        Run r = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertThat(r.out() + r.err()).doesNotContain(SECRET, TOKEN);
        return r;
    }

    @Test
    void printsALoadableFileAndExitsZeroWhenEverythingTranslates() throws Exception {
        Run r = run("SECRET = '" + SECRET + "'\nTOKEN = \"" + TOKEN + "\"\n"
                + "REPOS = [{'repo': 'octo/app', 'folder': '/srv/app', 'commands': ['make deploy'], 'required_contexts': None}]\n");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("webhook_secret: ${WEBHOOK_SECRET}", "token: ${GITHUB_TOKEN}", "- [make, deploy]");
        Path yml = dir.resolve("autodeploy.yml");
        Files.writeString(yml, r.out());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"check-config", yml.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err, Map.of("WEBHOOK_SECRET", SECRET, "GITHUB_TOKEN", TOKEN))).as(out.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void whatCannotBeTranslatedGoesToStderrWithItsLineAndExitsOne() throws Exception {
        Run r = run("import os\nSECRET = os.environ['SECRET']\nTOKEN = '" + TOKEN + "'\nREPOS = {}\n");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("line 1: cannot translate this statement (an import)")
                .contains("line 2: cannot translate SECRET = ... (not a literal");
        assertThat(r.out()).contains("token: ${GITHUB_TOKEN}");
    }

    @Test
    void malformedFilesGiveTheLineAndColumnAndExitTwoWithoutAStackTrace() throws Exception {
        for (String bad : new String[] {"TOKEN = '" + TOKEN + "\n", "REPOS = {'a': [1, 2}\n", "SECRET = '" + SECRET + "' 'x' 3\n",
                "REPOS = {\n"}) {
            Run r = run(bad);
            assertThat(r.code()).as(bad).isEqualTo(2);
            assertThat(r.err()).matches("(?s).*config\\.py:\\d+:\\d+: .*").doesNotContain("Exception", "\tat ");
            assertThat(r.out()).isEmpty();
        }
    }
}
