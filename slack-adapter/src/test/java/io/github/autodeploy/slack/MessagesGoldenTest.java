package io.github.autodeploy.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.testkit.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JSON of every kind of message, against files reviewed by eye once. Run with
 * {@code -Dgolden.update=true} to rewrite them after an intended change, then review the diff.
 */
class MessagesGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private static Notice notice(NotificationKind kind) {
        Notice n = Values.notice(kind);
        boolean deployment = kind == NotificationKind.QUEUED || kind == NotificationKind.STARTED || kind == NotificationKind.SUCCEEDED
                || kind == NotificationKind.FAILED || kind == NotificationKind.ERRORED;
        String description = switch (kind) {
            case SUCCEEDED -> "deployed a10867b to production in 12s";
            case FAILED -> "step 'make deploy' failed with exit code 2";
            case ERRORED -> "step 'make' did not start: could not start make: error=2, No such file or directory";
            case WAITING_FOR_CI -> "waiting for CI: ci/build, e2e";
            case BLOCKED_BY_CI -> "not deployed: CI failed: ci/build (failure)";
            case GAVE_UP_WAITING -> "not deployed: gave up waiting for CI after 60 minutes";
            case SUPERSEDED -> "not deployed: superseded by the newer commit b20867b";
            case LOCKED -> "incident 4711";
            case UNLOCKED -> "lock of alice since 2026-11-28 14:02 UTC (incident 4711)";
            case LOCK_STOLEN -> "took the lock of bob (release freeze): incident 4711";
            case HELD -> "held: locked by alice since 2026-11-28 14:02 UTC: incident 4711";
            case ROLLBACK -> "roll back to a10867b (deployment 7): bad release";
            case REFUSED -> "not deployed: locked by alice since 2026-11-28 14:02 UTC: incident 4711";
            case FORCED -> "forced past the lock of bob: hotfix for incident 4711";
            case GATE_WAITING -> "Actions run 4242 has waited 31 min: locked by alice since 2026-11-28 14:02 UTC: incident 4711";
            case GATE_REJECTED -> "Rejected by alice: wrong commit";
            default -> "deploying a10867b to production";
        };
        List<String> contexts = switch (kind) {
            case WAITING_FOR_CI -> List.of("ci/build", "e2e");
            case BLOCKED_BY_CI -> List.of("ci/build (failure)");
            default -> List.of();
        };
        boolean aboutEnvironment = kind == NotificationKind.LOCKED || kind == NotificationKind.UNLOCKED
                || kind == NotificationKind.LOCK_STOLEN;
        boolean byUser = aboutEnvironment || kind == NotificationKind.ROLLBACK || kind == NotificationKind.FORCED
                || kind == NotificationKind.GATE_REJECTED;
        return new Notice(kind, n.repository(), n.environment(), aboutEnvironment ? Optional.empty() : n.sha(),
                aboutEnvironment ? "" : "main", deployment ? n.deploymentId() : Optional.empty(),
                aboutEnvironment ? Optional.empty() : n.requester(), byUser ? Optional.of("alice") : Optional.empty(), description, deployment ? n.logUrl() : Optional.empty(),
                kind == NotificationKind.SUCCEEDED || kind == NotificationKind.FAILED ? n.duration() : Optional.empty(), contexts,
                Optional.empty());
    }

    @ParameterizedTest
    @EnumSource(NotificationKind.class)
    void everyKindOfMessageMatchesItsReviewedJson(NotificationKind kind) throws IOException {
        String actual = JSON.writeValueAsString(Messages.render(notice(kind), "https://github.com")) + "\n";
        Path file = GOLDEN.resolve(kind.configWord() + ".json");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file; create it with -Dgolden.update=true and review it").exists();
        assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void everyValueIsEscaped() {
        Notice n = Values.notice(NotificationKind.FAILED);
        Notice hostile = new Notice(n.kind(), n.repository(), n.environment(), n.sha(), "<script>&", n.deploymentId(), n.requester(), n.actor(),
                "<!channel> & <https://evil|click>", n.logUrl(), n.duration(), List.of("<b>"), Optional.empty());
        JsonNode m = Messages.render(hostile, "https://github.com");
        String all = m.toString();
        assertThat(all).doesNotContain("<!channel>", "<script>", "<b>", "<https://evil");
        assertThat(all).contains("&lt;!channel&gt; &amp; &lt;https://evil|click&gt;", "&lt;script&gt;&amp;");
    }

    private static Notice hostile(String ref, String description, String logUrl) {
        Notice n = Values.notice(NotificationKind.FAILED);
        return new Notice(n.kind(), n.repository(), n.environment(), n.sha(), ref, n.deploymentId(), n.requester(), n.actor(), description,
                Optional.of(logUrl), n.duration(), List.of("ci`*x*`"), Optional.empty());
    }

    @Test
    void aHostileRefDescriptionAndLogUrlMatchTheirReviewedJson() throws IOException {
        Notice n = hostile("main`*bold* _it_ ~x~ https://evil.example/`", "done` *now* _see_ ~no~ https://evil.example <!here>",
                "javascript:alert(document.cookie)//https://ok.example");
        String actual = JSON.writeValueAsString(Messages.render(n, "https://github.com")) + "\n";
        Path file = GOLDEN.resolve("hostile.json");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void aBacktickInARefCannotCloseItsCodeSpan() {
        JsonNode m = Messages.render(hostile("main`*bold* https://evil.example`", "x", "https://ok.example/log"), "https://github.com");
        String facts = m.path("blocks").get(1).path("elements").get(0).path("text").asText();
        assertThat(facts).startsWith("Ref `main\u02CB*bold* https://evil.example\u02CB` · ");
        String section = m.path("blocks").get(0).path("text").path("text").asText();
        assertThat(section).contains("`ci\u02CB*x*\u02CB`");
    }

    @Test
    void formattingCharactersOutsideCodeAreNeutralisedAndNothingIsAutoLinked() {
        JsonNode m = Messages.render(hostile("main", "*bold* _it_ ~x~ `c` https://evil.example", "https://ok.example/log"),
                "https://github.com");
        String section = m.path("blocks").get(0).path("text").path("text").asText();
        assertThat(section).contains(">\u2217bold\u2217 \u02CDit\u02CD \u223Cx\u223C \u02CBc\u02CB https://evil.example");
        assertThat(m.path("blocks").get(0).path("text").path("verbatim").asBoolean()).as("no bare URL becomes a link").isTrue();
        assertThat(m.path("blocks").get(1).path("elements").get(0).path("verbatim").asBoolean()).isTrue();
    }

    @Test
    void onlyAPlainHttpLogUrlIsLinked() {
        for (String bad : List.of("javascript:alert(1)", "JAVASCRIPT:alert(1)//http://x", "data:text/html,hi", "ftp://x.example/log",
                "https://ok.example/a|Click here", "https://ok.example/a>evil", "https://ok.example/<x", "https://user@ok.example/",
                "https://ok.example/a b", "https://ok.example/\nx", "/relative/log", "https://", "http:///nohost")) {
            String facts = Messages.render(hostile("main", "x", bad), "https://github.com")
                    .path("blocks").get(1).path("elements").get(0).path("text").asText();
            assertThat(facts).as(bad).doesNotContain("View log");
            assertThat(Messages.safeUrl(bad)).as(bad).isEmpty();
        }
        for (String good : List.of("https://deploy.example.com/deployments/7/k", "http://127.0.0.1:8080/log?a=1")) {
            assertThat(Messages.safeUrl(good)).as(good).contains(good);
        }
    }

    @Test
    void longTextIsCutToSlacksLimitWithAnEllipsis() {
        Notice n = Values.notice(NotificationKind.FAILED);
        Notice longOne = new Notice(n.kind(), n.repository(), n.environment(), n.sha(), "main", n.deploymentId(), n.requester(), n.actor(),
                "x".repeat(5000), n.logUrl(), n.duration(), List.of(), Optional.empty());
        JsonNode m = Messages.render(longOne, "https://github.com");
        String section = m.path("blocks").get(0).path("text").path("text").asText();
        assertThat(section).hasSize(Messages.MAX_SECTION).endsWith("\u2026");
        assertThat(m.path("text").asText().length()).isLessThanOrEqualTo(Messages.MAX_SECTION);
        assertThat(m.path("blocks").size()).isLessThanOrEqualTo(Messages.MAX_BLOCKS);
    }

    @Test
    void aFailureNeverSaysDeployed() {
        for (NotificationKind kind : List.of(NotificationKind.FAILED, NotificationKind.ERRORED, NotificationKind.BLOCKED_BY_CI,
                NotificationKind.QUEUED, NotificationKind.STARTED, NotificationKind.WAITING_FOR_CI)) {
            assertThat(Messages.render(notice(kind), "https://github.com").path("text").asText()).doesNotStartWith("Deployed");
        }
    }
}
