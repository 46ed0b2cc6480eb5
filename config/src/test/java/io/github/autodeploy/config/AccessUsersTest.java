package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Credential;
import io.github.autodeploy.core.control.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code access.users} section: named users with tokens and roles, each bad one refused with its line. */
class AccessUsersTest {
    private static final String ALICE = "alice-token-0123456789abcdef";
    private static final String BOB = "bob-token-0123456789abcdef";
    private static final Map<String, String> ENV = Map.of("ALICE_TOKEN", ALICE, "BOB_TOKEN", BOB, "EMPTY", "",
            "SHORT", "short-secret");
    private static final String VALID = """
            github: {webhook_secret: s3cret}
            repos:
              octo/app: {folder: /srv/app, commands: [[make, deploy]]}
            """;

    private static LoadedConfig parse(String yaml) {
        return ConfigFile.parse("autodeploy.yml", yaml, false, ENV);
    }

    private static List<String> problems(String yaml) {
        try {
            parse(yaml);
            return List.of();
        } catch (ConfigFileException e) {
            return e.problems().stream().map(Object::toString).toList();
        }
    }

    @Test
    void namedUsersAreReadWithTheirRolesAndTheirTokensAreSecrets() {
        LoadedConfig c = parse(VALID + """
                access:
                  users:
                    alice: {token: "${ALICE_TOKEN}", role: viewer}
                    bob:
                      token: ${BOB_TOKEN}
                      role: deployer
                """);
        assertThat(c.server().users()).containsExactly(new Credential(new Actor("alice", Role.VIEWER), ALICE),
                new Credential(new Actor("bob", Role.DEPLOYER), BOB));
        assertThat(c.robot().secrets()).contains(ALICE, BOB);
        assertThat(c.server().users().toString()).doesNotContain(ALICE).doesNotContain(BOB).contains("alice (viewer)");
    }

    @Test
    void theSharedCredentialOfOlderConfigurationsIsOneAdmin() {
        LoadedConfig token = parse(VALID + "pages: {token: " + ALICE + "}\n");
        assertThat(token.server().credentials()).containsExactly(new Credential(new Actor("admin", Role.ADMIN), ALICE));
        LoadedConfig basic = parse(VALID + "pages: {username: ops, password: pw}\n");
        assertThat(basic.server().credentials()).containsExactly(new Credential(new Actor("ops", Role.ADMIN), "pw"));
        LoadedConfig both = parse(VALID + "pages: {token: " + ALICE + "}\naccess: {users: {bob: {token: " + BOB + ", role: viewer}}}\n");
        assertThat(both.server().credentials()).extracting(Credential::actor)
                .containsExactly(new Actor("bob", Role.VIEWER), new Actor("admin", Role.ADMIN));
    }

    @Test
    void aMissingOrBlankTokenIsRefusedWithItsLine() {
        assertThat(problems(VALID + """
                access:
                  users:
                    alice: {role: viewer}
                    bob: {token: "${EMPTY}", role: viewer}
                    carol: {token: "${CAROL_TOKEN:-}", role: viewer}
                    dave: {token: "   ", role: viewer}
                """)).containsExactly(
                "line 6: access.users.alice.token: is missing; set it from the environment, such as ${ALICE_TOKEN} "
                        + "(make one with openssl rand -hex 32)",
                "line 7: access.users.bob.token: is empty (${EMPTY} is empty or not set); a blank token would let anyone in: "
                        + "set it, or remove the user",
                "line 8: access.users.carol.token: is empty (${CAROL_TOKEN} is empty or not set); a blank token would let "
                        + "anyone in: set it, or remove the user",
                "line 9: access.users.dave.token: is empty; a blank token would let anyone in: set it, or remove the user");
    }

    @Test
    void aShortTokenIsRefusedSayingWhyWithoutShowingIt() {
        assertThat(problems(VALID + """
                access:
                  users:
                    alice: {token: "${SHORT}", role: viewer}
                    bob: {token: fifteen-chars!!, role: viewer}
                    carol: {token: short, role: viewer}
                """)).containsExactly(
                "line 6: access.users.alice.token: is shorter than 16 characters; a short token can be guessed by trying, "
                        + "so use a long random one (openssl rand -hex 32)",
                "line 7: access.users.bob.token: is shorter than 16 characters; a short token can be guessed by trying, "
                        + "so use a long random one (openssl rand -hex 32)",
                // A secret that is a word of the message ("short") does not garble it.
                "line 8: access.users.carol.token: is shorter than 16 characters; a short token can be guessed by trying, "
                        + "so use a long random one (openssl rand -hex 32)");
    }

    @Test
    void twoUserNamesThatDifferOnlyInCaseAreRefused() {
        assertThat(problems(VALID + """
                access:
                  users:
                    bob: {token: "${ALICE_TOKEN}", role: viewer}
                    Bob: {token: "${BOB_TOKEN}", role: admin}
                """)).containsExactly("line 7: access.users.Bob: differs from user bob only in case, which reads as the same "
                + "person in a deployment's history; give one another name");
    }

    @Test
    void twoUsersWithOneTokenAreRefusedWithoutShowingIt() {
        List<String> found = problems(VALID + """
                pages: {token: "${BOB_TOKEN}"}
                access:
                  users:
                    alice: {token: "${ALICE_TOKEN}", role: viewer}
                    eve: {token: "${ALICE_TOKEN}", role: admin}
                    mallory: {token: "${BOB_TOKEN}", role: admin}
                """);
        assertThat(found).containsExactly(
                "line 8: access.users.eve.token: is the same as access.users.alice.token; give each user a token of their "
                        + "own, or the robot cannot tell who did something",
                "line 9: access.users.mallory.token: is the same as pages.token; give each user a token of their own, "
                        + "or the robot cannot tell who did something");
        assertThat(String.join("\n", found)).doesNotContain(ALICE).doesNotContain(BOB);
        assertThat(problems(VALID + "pages: {token: " + ALICE + ", username: ops, password: " + ALICE + "}\n"))
                .containsExactly("line 4: pages.password: is the same as pages.token; keep one of them, or give each its own value");
    }

    @Test
    void anInvalidNameAnUnknownOrMissingRoleAndAnUnknownKeyAreRefused() {
        assertThat(problems(VALID + """
                access:
                  users:
                    "al ice": {token: "${ALICE_TOKEN}", role: viewer}
                    bob: {token: "${BOB_TOKEN}", role: superuser}
                    carol: {token: carol-token-0123456789, rolle: admin}
                    dave: viewer
                """)).containsExactly(
                "line 6: access.users.al ice: is not a valid user name: use 1 to 64 letters, digits, '.', '_', '-', '@' or '+'",
                "line 7: access.users.bob.role: is \"superuser\"; write viewer, deployer or admin",
                "line 8: access.users.carol.rolle: unknown key; did you mean role?",
                "line 8: access.users.carol.role: is missing; write viewer (reads the pages and the API), deployer (also "
                        + "cancels and deploys) or admin",
                "line 9: access.users.dave: must be a map such as {token: ${DAVE_TOKEN}, role: viewer}");
    }

    @Test
    void aNamedUserMayNotTakeTheSharedCredentialsNameAndItsNameMustBeValid() {
        assertThat(problems(VALID + """
                pages: {username: ops, password: ops-password}
                access:
                  users:
                    ops: {token: "${ALICE_TOKEN}", role: viewer}
                """)).containsExactly("line 7: access.users.ops: is also the user of pages.username (an admin); give this "
                + "user another name, or remove the shared credential");
        assertThat(problems(VALID + "pages: {username: ops@example.com, password: ops-password}\n"))
                .as("an e-mail address names a user").isEmpty();
        assertThat(problems(VALID + "pages: {username: \"ops team\", password: ops-password}\n")).containsExactly(
                "line 4: pages.username: is not a valid user name (it names the admin in deployments' histories): use 1 to 64 "
                        + "letters, digits, '.', '_', '-', '@' or '+'");
    }
}
