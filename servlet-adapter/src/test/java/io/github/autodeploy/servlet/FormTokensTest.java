package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Credential;
import io.github.autodeploy.core.control.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormTokensTest {
    private static final Actor ALICE = new Actor("alice", Role.DEPLOYER);
    private static final Actor BOB = new Actor("bob", Role.DEPLOYER);
    private static final List<Credential> USERS = List.of(new Credential(ALICE, "alice-token-0123456789"),
            new Credential(BOB, "bob-token-0123456789ab"));

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-03-01T10:15:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock();
    private final FormTokens tokens = FormTokens.forUsers(USERS, clock);

    @Test
    void aTokenIsValidForItsActionTargetAndUserOnly() {
        String t = tokens.issue("cancel", "42", ALICE);
        assertThat(tokens.valid(t, "cancel", "42", ALICE)).isTrue();
        assertThat(tokens.valid(t, "cancel", "42", BOB)).as("another user").isFalse();
        assertThat(tokens.valid(t, "lock", "42", ALICE)).as("another action").isFalse();
        assertThat(tokens.valid(t, "cancel", "43", ALICE)).as("another target").isFalse();
        assertThat(tokens.valid(t, "cancel4", "2", ALICE)).as("fields cannot slide into each other").isFalse();
    }

    @Test
    void aMissingOrForgedTokenIsRefused() {
        assertThat(tokens.valid(null, "cancel", "42", ALICE)).isFalse();
        assertThat(tokens.valid("", "cancel", "42", ALICE)).isFalse();
        assertThat(tokens.valid("forged", "cancel", "42", ALICE)).isFalse();
        assertThat(tokens.valid(FormTokens.random(clock).issue("cancel", "42", ALICE), "cancel", "42", ALICE))
                .as("made under another key").isFalse();
    }

    @Test
    void aTokenLastsUntilTheEndOfTheNextHourlySlotAndNoLonger() {
        String t = tokens.issue("cancel", "42", ALICE);
        clock.now = clock.now.plus(Duration.ofMinutes(100)); // 11:55, the next slot
        assertThat(tokens.valid(t, "cancel", "42", ALICE)).isTrue();
        clock.now = Instant.parse("2026-03-01T12:00:00Z"); // two slots on
        assertThat(tokens.valid(t, "cancel", "42", ALICE)).as("expired").isFalse();
    }

    @Test
    void nodesWithTheSameUsersAcceptEachOthersFormsAndOtherKeysDoNot() {
        String t = tokens.issue("cancel", "42", ALICE);
        assertThat(FormTokens.forUsers(USERS, clock).valid(t, "cancel", "42", ALICE)).isTrue();
        assertThat(FormTokens.forUsers(List.of(new Credential(ALICE, "another-token-0123456789")), clock)
                .valid(t, "cancel", "42", ALICE)).isFalse();
        FormTokens open = FormTokens.forUsers(List.of(), clock);
        assertThat(FormTokens.forUsers(List.of(), clock).valid(open.issue("cancel", "42", ALICE), "cancel", "42", ALICE))
                .as("no users: a random key per instance").isFalse();
    }

    @Test
    void aTokenInTheUrlIsRefusedSinceUrlsEndUpInLogs() {
        String t = tokens.issue("lock", "octo/app/production", ALICE);
        assertThat(tokens.accepts(new FakeRequest().parameter("csrf", t).query("csrf=" + t + "&reason=x")
                .header("Sec-Fetch-Site", "same-origin").build(), "lock", "octo/app/production", ALICE)).isFalse();
        assertThat(tokens.accepts(new FakeRequest().parameter("csrf", t).query("reason=x&csrf=" + t).build(),
                "lock", "octo/app/production", ALICE)).isFalse();
        assertThat(tokens.accepts(new FakeRequest().parameter("csrf", t).query("reason=x").build(),
                "lock", "octo/app/production", ALICE)).as("other query parameters are fine").isTrue();
    }

    @Test
    void aFormPostIsAcceptedWithItsTokenFromTheSameOrigin() {
        String t = tokens.issue("cancel", "42", ALICE);
        assertThat(tokens.accepts(new FakeRequest().parameter("csrf", t).header("Sec-Fetch-Site", "same-origin").build(),
                "cancel", "42", ALICE)).isTrue();
        assertThat(tokens.accepts(new FakeRequest().parameter("csrf", t).header("Origin", "https://deploy.example.com")
                .header("Host", "deploy.example.com").build(), "cancel", "42", ALICE)).isTrue();
        assertThat(tokens.accepts(new FakeRequest().parameter("csrf", t).build(), "cancel", "42", ALICE))
                .as("no browser headers: the token decides").isTrue();
        assertThat(tokens.accepts(new FakeRequest().build(), "cancel", "42", ALICE)).as("no token").isFalse();
    }

    @Test
    void aCrossSitePostIsRefusedEvenWithAValidToken() {
        String t = tokens.issue("cancel", "42", ALICE);
        for (FakeRequest r : List.of(
                new FakeRequest().header("Sec-Fetch-Site", "cross-site"),
                new FakeRequest().header("Sec-Fetch-Site", "same-site"),
                new FakeRequest().header("Origin", "https://evil.example").header("Host", "deploy.example.com"),
                new FakeRequest().header("Origin", "null").header("Host", "deploy.example.com"),
                new FakeRequest().header("Origin", "https://deploy.example.com:8443").header("Host", "deploy.example.com"),
                new FakeRequest().header("Origin", "not a url").header("Host", "deploy.example.com"))) {
            assertThat(tokens.accepts(r.parameter("csrf", t).build(), "cancel", "42", ALICE)).as(r.build().toString()).isFalse();
        }
    }
}
