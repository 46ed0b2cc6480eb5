package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Credential;
import io.github.autodeploy.core.control.Role;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PageAccessTest {
    static final String ALICE = "alice-token-0123456789";
    static final String BOB = "bob-token-0123456789ab";
    static final String CAROL = "carol-token-0123456789";
    static final PageAccess USERS = PageAccess.users(List.of(
            new Credential(new Actor("alice", Role.VIEWER), ALICE),
            new Credential(new Actor("bob", Role.DEPLOYER), BOB),
            new Credential(new Actor("carol", Role.ADMIN), CAROL)));

    static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void blankCredentialsAreNoneAndLetNobodyIn() {
        PageAccess access = PageAccess.credentials(Optional.of(""), Optional.of("admin"), Optional.of(""));
        assertThat(access.allows(basic("admin:"))).isFalse();
        assertThat(access.allows("Bearer ")).isFalse();
        assertThat(access.allows("Bearer")).isFalse();
        assertThat(access.closedToAll()).isTrue();
        assertThat(access.offersBasic()).isFalse();
        assertThat(PageAccess.credentials(Optional.of("  "), Optional.of(" "), Optional.of("pw")).closedToAll()).isTrue();
    }

    @Test
    void theSharedCredentialLetsItsHoldersInAsAdmins() {
        PageAccess access = PageAccess.credentials(Optional.of("pages-token"), Optional.of("ops"), Optional.of("pw"));
        assertThat(access.who("Bearer pages-token")).contains(new Actor("admin", Role.ADMIN));
        assertThat(access.who(basic("ops:pw"))).contains(new Actor("ops", Role.ADMIN));
        assertThat(access.allows(basic("ops:"))).isFalse();
        assertThat(access.allows(null)).isFalse();
        assertThat(access.closedToAll()).isFalse();
    }

    @Test
    void aBearerTokenNamesItsUser() {
        assertThat(USERS.who("Bearer " + ALICE)).contains(new Actor("alice", Role.VIEWER));
        assertThat(USERS.who("bearer  " + BOB + " ")).contains(new Actor("bob", Role.DEPLOYER));
        assertThat(USERS.allows("Bearer " + CAROL)).isTrue();
    }

    @Test
    void basicCredentialsNeedTheNameOfTheUserWhoseTokenItIs() {
        assertThat(USERS.who(basic("alice:" + ALICE))).contains(new Actor("alice", Role.VIEWER));
        assertThat(USERS.who(basic("bob:" + ALICE))).as("the right token under another user's name").isEmpty();
        assertThat(USERS.who(basic("carol:" + ALICE))).isEmpty();
        assertThat(USERS.who(basic("alice:" + ALICE.substring(1)))).isEmpty();
        assertThat(USERS.who(basic(ALICE))).as("no colon").isEmpty();
        assertThat(USERS.who("Basic %%%")).isEmpty();
    }

    @Test
    void blankUnknownAndMalformedCredentialsNameNobody() {
        for (String header : new String[] {null, "", "Bearer", "Bearer ", "Bearer  ", "Bearer unknown-token-0123456789",
                basic("alice:"), basic(":" + ALICE.substring(0, 5)), "Token " + ALICE, ALICE, "Digest " + ALICE}) {
            assertThat(USERS.who(header)).as(String.valueOf(header)).isEmpty();
            assertThat(USERS.allows(header)).isFalse();
        }
    }

    @Test
    void everyUsersTokenIsComparedSoTheMatchingUserDoesNotChangeTheWorkDone() {
        // The lookup compares fixed-size digests with every user's, without stopping at a match: the last
        // user, the first one and an unknown token all go through the whole list (see byToken).
        assertThat(USERS.who("Bearer " + CAROL)).contains(new Actor("carol", Role.ADMIN));
        assertThat(USERS.who("Bearer " + ALICE)).contains(new Actor("alice", Role.VIEWER));
        assertThat(USERS.who("Bearer " + "x".repeat(10_000))).isEmpty();
    }

    @Test
    void twoUsersWithOneTokenAreRefused() {
        assertThatThrownBy(() -> PageAccess.users(List.of(new Credential(new Actor("a", Role.VIEWER), ALICE),
                new Credential(new Actor("b", Role.ADMIN), ALICE)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same token").hasMessageNotContaining(ALICE);
    }

    @Test
    void aUserWhoseRoleIsTooLowIsForbiddenWithAReasonNamingTheRole() {
        PageAccess.Decision d = USERS.decide(new FakeRequest().header("Authorization", "Bearer " + ALICE).build(),
                Role.DEPLOYER, "cancelling");
        assertThat(d).isEqualTo(new PageAccess.Decision.Forbidden("cancelling needs the deployer role; alice is a viewer"));
        assertThat(USERS.decide(new FakeRequest().header("Authorization", "Bearer " + BOB).build(), Role.ADMIN, "stealing a lock"))
                .isEqualTo(new PageAccess.Decision.Forbidden("stealing a lock needs the admin role; bob is a deployer"));
        assertThat(USERS.decide(new FakeRequest().header("Authorization", "Bearer " + BOB).build(), Role.DEPLOYER, "cancelling"))
                .isEqualTo(new PageAccess.Decision.Allowed(new Actor("bob", Role.DEPLOYER)));
    }

    @Test
    void noCredentialIsUnauthenticatedWithABasicChallengeWhenUsersExist() {
        assertThat(USERS.decide(new FakeRequest().build(), Role.VIEWER, "reading"))
                .isInstanceOfSatisfying(PageAccess.Decision.Unauthenticated.class, u -> assertThat(u.challenge()).startsWith("Basic"));
        assertThat(PageAccess.users(List.of()).decide(new FakeRequest().build(), Role.VIEWER, "reading"))
                .isInstanceOfSatisfying(PageAccess.Decision.Unauthenticated.class, u -> {
                    assertThat(u.challenge()).isEqualTo("Bearer");
                    assertThat(u.reason()).contains("No credential is configured");
                });
    }

    @Test
    void openPagesActAsTheHostsUserOrAnonymousAdmin() {
        PageAccess open = PageAccess.open();
        assertThat(open.who(new FakeRequest().remoteUser("dora").build())).contains(new Actor("dora", Role.ADMIN));
        assertThat(open.who(new FakeRequest().build())).contains(new Actor("anonymous", Role.ADMIN));
        assertThat(open.who(new FakeRequest().remoteUser("CN=dora, O=example").build())).contains(new Actor("anonymous", Role.ADMIN));
        assertThat(open.allows(null)).isTrue();
        assertThat(open.closedToAll()).isFalse();
    }
}
