package io.github.autodeploy.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelValidationTest {

    @Test
    void repositoryNameIsOwnerSlashNameAndCaseInsensitive() {
        RepositoryName r = RepositoryName.of("Octo-Org/My.App_2");
        assertThat(r.owner()).isEqualTo("octo-org");
        assertThat(r.name()).isEqualTo("my.app_2");
        assertThat(r).isEqualTo(RepositoryName.of("octo-org/MY.APP_2"));
        assertThat(r.fullName()).isEqualTo("octo-org/my.app_2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"octo", "octo/app/x", "/app", "octo/", "-octo/app", "octo-/app", "oc--to/app", "octo/a pp",
            "octo/..", "octo/.", "octo/app;rm", "a234567890123456789012345678901234567890/app"})
    void rejectsRepositoryNamesGitHubDoesNotAllow(String name) {
        assertThatThrownBy(() -> RepositoryName.of(name))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("\"");
    }

    @Test
    void commitShaIsFortyHexDigitsLowerCased() {
        CommitSha sha = CommitSha.of("A10867B14BB761A232CD80139FBD4C0D33264240");
        assertThat(sha.value()).isEqualTo("a10867b14bb761a232cd80139fbd4c0d33264240");
        assertThat(sha.abbreviated()).isEqualTo("a10867b");
        assertThat(sha.isZero()).isFalse();
        assertThat(CommitSha.of("0".repeat(40)).isZero()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a10867b", "a10867b14bb761a232cd80139fbd4c0d3326424", "g10867b14bb761a232cd80139fbd4c0d33264240",
            "a10867b14bb761a232cd80139fbd4c0d332642400", "--upload-pack=evil000000000000000000000"})
    void rejectsAnythingButAFullSha(String value) {
        assertThatThrownBy(() -> CommitSha.of(value))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("\"" + value.toLowerCase() + "\"")
                .hasMessageContaining("40 hexadecimal digits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "refs/heads/main", "feature/x-1", "v1.2.3", "refs/tags/v1.0", "release-2026.11"})
    void acceptsRefsGitAccepts(String value) {
        assertThat(GitRef.of(value).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-main", "--upload-pack=x", "a..b", "a b", "a~1", "a^", "a:b", "a?", "a*", "a[b", "a\\b",
            "a\u0000b", "a\nb", "a//b", "/a", "a/", "a.", "a.lock", "a/.b", "@", "a@{1}"})
    void rejectsRefsGitRejects(String value) {
        assertThatThrownBy(() -> GitRef.of(value)).isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("git ref \"");
    }

    @Test
    void refKnowsItsBranch() {
        assertThat(GitRef.of("refs/heads/main").shortName()).isEqualTo("main");
        assertThat(GitRef.of("refs/heads/main").namesBranch("main")).isTrue();
        assertThat(GitRef.of("main").namesBranch("main")).isTrue();
        assertThat(GitRef.of("refs/tags/main").namesBranch("main")).isFalse();
    }

    @Test
    void environmentNameRejectsControlCharactersAndPadding() {
        assertThat(EnvironmentName.of("staging eu").value()).isEqualTo("staging eu");
        assertThatThrownBy(() -> EnvironmentName.of("")).hasMessageContaining("1 to 255");
        assertThatThrownBy(() -> EnvironmentName.of(" prod")).hasMessageContaining("white space");
        assertThatThrownBy(() -> EnvironmentName.of("-prod")).hasMessageContaining("'-'");
        assertThatThrownBy(() -> EnvironmentName.of("pr\nod")).hasMessageContaining("control character")
                .hasMessageContaining("\\u000a");
        assertThatThrownBy(() -> EnvironmentName.of("x".repeat(256))).hasMessageContaining("1 to 255");
    }

    @Test
    void deploymentIdMustBePositive() {
        assertThat(DeploymentId.of(1).value()).isEqualTo(1);
        assertThatThrownBy(() -> DeploymentId.of(0)).hasMessageContaining("deployment id 0 must be positive");
        assertThatThrownBy(() -> DeploymentId.of(-5)).hasMessageContaining("-5");
    }

    @Test
    void deliveryIdIsAGuidLikeToken() {
        assertThat(DeliveryId.of("72d3162e-cc78-11e3-81ab-4c9367dc0958").value()).hasSize(36);
        assertThatThrownBy(() -> DeliveryId.of("")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> DeliveryId.of("a b")).hasMessageContaining("\"a b\"");
        assertThatThrownBy(() -> DeliveryId.of("x".repeat(129))).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void requesterIsAGitHubLoginOrBot() {
        assertThat(Requester.of("octocat").login()).isEqualTo("octocat");
        assertThat(Requester.of("dependabot[bot]").login()).isEqualTo("dependabot[bot]");
        assertThatThrownBy(() -> Requester.of("-x")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> Requester.of("a b")).hasMessageContaining("\"a b\"");
        assertThatThrownBy(() -> Requester.of("")).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void deploymentStateMapsUnknownWordsToUnknown() {
        assertThat(DeploymentState.fromGitHub("in_progress")).isEqualTo(DeploymentState.IN_PROGRESS);
        assertThat(DeploymentState.fromGitHub("QUEUED")).isEqualTo(DeploymentState.QUEUED);
        assertThat(DeploymentState.fromGitHub("paused")).isEqualTo(DeploymentState.UNKNOWN);
        assertThat(DeploymentState.fromGitHub(null)).isEqualTo(DeploymentState.UNKNOWN);
        assertThat(DeploymentState.SUCCESS.apiValue()).isEqualTo("success");
    }

    @ParameterizedTest
    @ValueSource(strings = {"main;id>/tmp/x/pwned;echo${IFS}x", "a$b", "a|b", "a&b", "a>b", "a<b", "a(b)", "a{b}",
            "a`id`", "a'b", "a\"b", "a!b"})
    void rejectsRefsThatMeanSomethingToAShell(String value) {
        assertThatThrownBy(() -> GitRef.of(value)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("means something to a shell");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-rf", "-"})
    void deploymentTaskMustNotLookLikeAnOption(String task) {
        Deployment d = Fixtures.deployment("{}");
        assertThatThrownBy(() -> new Deployment(d.repository(), d.id(), d.sha(), d.ref(), d.environment(), task,
                d.requester(), "{}", "")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("starts with '-'");
    }

    @Test
    void deploymentTaskMustBePrintableAndBlankPayloadIsEmptyObject() {
        Deployment d = Fixtures.deployment("{}");
        assertThat(new Deployment(d.repository(), d.id(), d.sha(), d.ref(), d.environment(), "deploy:migrations",
                d.requester(), " ", "").payloadJson()).isEqualTo("{}");
        assertThatThrownBy(() -> new Deployment(d.repository(), d.id(), d.sha(), d.ref(), d.environment(), "a\u0007",
                d.requester(), "{}", "")).hasMessageContaining("task");
    }

    @Test
    void contextReportNeedsAName() {
        assertThatThrownBy(() -> new ContextReport(" ", ContextState.SUCCESS, java.time.Instant.EPOCH,
                ContextReport.Source.CHECK_RUN)).hasMessageContaining("blank");
    }

    @Test
    void secretsAreMaskedLongestFirstAndNeverPrinted() {
        Secrets secrets = Secrets.of(java.util.List.of("abcd", "abcdefgh", "xy"));
        assertThat(secrets.redact("token=abcdefgh short=abcd tiny=xy")).isEqualTo("token=*** short=*** tiny=xy");
        assertThat(secrets.toString()).doesNotContain("abcd");
        assertThat(secrets.containsAny("..abcd..")).isTrue();
    }

    @Test
    void aMultiLineSecretIsMaskedWholeAndLineByLine() {
        String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";
        Secrets secrets = Secrets.of(java.util.List.of(pem));
        assertThat(secrets.redact("key=" + pem + "end")).isEqualTo("key=***end");
        assertThat(secrets.redact("  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")).isEqualTo("  ***");
        assertThat(secrets.redact("BKcwggSjAgEAAoIBAQC7\r")).isEqualTo("***\r");
        assertThat(secrets.containsAny("x BKcwggSjAgEAAoIBAQC7 y")).isTrue();
    }

    @Test
    void overlappingSecretsAreMaskedWithoutLeavingAPieceOfEither() {
        Secrets secrets = Secrets.of(java.util.List.of("abcdef", "defghi"));
        assertThat(secrets.redact("<abcdefghi>")).isEqualTo("<***>");
        assertThat(Secrets.of(java.util.List.of("abab")).redact("xababab")).isEqualTo("x***");
    }

    @Test
    void aCutIsMovedBeforeASecretItWouldSplit() {
        Secrets secrets = Secrets.of(java.util.List.of("s3cret-key"));
        assertThat(secrets.overlap()).isEqualTo(9);
        assertThat(secrets.safeCut("0123s3cret-key", 7)).isEqualTo(4);
        assertThat(secrets.safeCut("0123s3cret-key", 4)).isEqualTo(4);
        assertThat(secrets.safeCut("s3cret-key0123", 3)).isEqualTo(10);
        assertThat(Secrets.none().safeCut("anything", 3)).isEqualTo(3);
    }

    @Test
    void secretsAddedLaterAreMaskedWithTheOthers() {
        Secrets secrets = Secrets.of(java.util.List.of("ghp_token1")).with(java.util.List.of("pages-password"));
        assertThat(secrets.redact("ghp_token1 pages-password")).isEqualTo("*** ***");
        assertThat(Secrets.none().with(secrets).redact("pages-password")).isEqualTo("***");
    }

    /** Shared test values. */
    static final class Fixtures {
        static Deployment deployment(String payload) {
            return new Deployment(RepositoryName.of("octo/app"), DeploymentId.of(42),
                    CommitSha.of("a10867b14bb761a232cd80139fbd4c0d33264240"), GitRef.of("main"),
                    EnvironmentName.PRODUCTION, "deploy", Requester.of("octocat"), payload, "");
        }
    }
}
