package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Whatever text a config.py holds, the literal reader returns a value or throws its own syntax
 * exception, placed at a line and column inside the text; so does the whole translation. The seed
 * corpus holds both Flask templates, every kind of literal, and the malformed files of the tests.
 */
class PythonLiteralsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void readsALiteralOrThrowsItsSyntaxException(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        long lines = text.lines().count() + 2;
        try {
            PythonLiterals.parse("x.py", text);
        } catch (PythonSyntaxException e) {
            assertThat(e.line()).isBetween(1, (int) lines + 1);
            assertThat(e.column()).isPositive();
            assertThat(e.getMessage()).startsWith("x.py:" + e.line() + ":" + e.column() + ": ");
        }
        try {
            FlaskConfigImport.Translation t = FlaskConfigImport.translate("config.py", text);
            assertThat(t.yaml()).contains("webhook_secret: ${WEBHOOK_SECRET}");
        } catch (PythonSyntaxException e) {
            assertThat(e.getMessage()).startsWith("config.py:" + e.line() + ":" + e.column() + ": ");
        }
    }
}
