package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.config.RobotConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code store:} keys: read, defaulted, validated with their lines, and never showing a password. */
class StoreKeysTest {
    private static final String PASSWORD = "pg-pass-7f3a9c";
    private static final Map<String, String> ENV = Map.of("WEBHOOK_SECRET", "s3cret",
            "DB_URL", "jdbc:postgresql://db.internal:5432/autodeploy?user=robot&password=" + PASSWORD,
            "DB_PASSWORD", PASSWORD);

    private static String config(String store) {
        return """
                github: {webhook_secret: "${WEBHOOK_SECRET}"}
                %s
                repos:
                  octo/app: {folder: /srv/app, commands: [[make, deploy]]}
                """.formatted(store);
    }

    private static LoadedConfig parse(String store) {
        return ConfigFile.parse("autodeploy.yml", config(store), false, ENV);
    }

    private static List<String> problems(String store) {
        try {
            parse(store);
            return List.of();
        } catch (ConfigFileException e) {
            assertThat(e.getMessage()).doesNotContain(PASSWORD);
            return e.problems().stream().map(Object::toString).toList();
        }
    }

    @Test
    void withoutAStoreSectionTheDefaultsApply() {
        RobotConfig.Store s = parse("").robot().store();
        assertThat(s).isEqualTo(RobotConfig.Store.defaults());
        assertThat(s.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(s.dedupeWindow()).isEqualTo(Duration.ofDays(7));
        assertThat(s.leaseTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsEveryStoreKey() {
        RobotConfig.Store s = parse("""
                store:
                  url: jdbc:postgresql://db.internal:5432/autodeploy
                  user: robot
                  password: ${DB_PASSWORD}
                  retention: 30d
                  dedupe_window: 12h
                  lease_timeout: 10s
                  log_budget_bytes: 2147483648
                """).robot().store();
        assertThat(s).isEqualTo(new RobotConfig.Store(Optional.of("jdbc:postgresql://db.internal:5432/autodeploy"),
                Optional.of("robot"), Optional.of(PASSWORD), Duration.ofDays(30), Duration.ofHours(12), Duration.ofSeconds(10),
                2_147_483_648L));
    }

    @Test
    void storeSyncIsFullByDefaultAndNormalOnlyOnSqlite() {
        assertThat(parse("store: {url: \"jdbc:sqlite:/var/lib/autodeploy/a.db\"}").robot().store().syncEveryAccept()).isTrue();
        assertThat(parse("store: {url: \"jdbc:sqlite:/var/lib/autodeploy/a.db\", sync: full}").robot().store().syncEveryAccept())
                .isTrue();
        assertThat(parse("store: {url: \"jdbc:sqlite:/var/lib/autodeploy/a.db\", sync: normal}").robot().store().syncEveryAccept())
                .isFalse();
        assertThat(problems("store: {url: \"jdbc:sqlite:/var/lib/autodeploy/a.db\", sync: fast}")).singleElement().asString()
                .contains("store.sync").contains("\"fast\"").contains("full").contains("normal");
        assertThat(problems("store: {url: \"jdbc:sqlite:/var/lib/autodeploy/a.db\", sync: off}")).singleElement().asString()
                .contains("store.sync").contains("\"false\" (YAML reads yes, no, on and off as true and false)");
        assertThat(problems("store: {url: \"jdbc:postgresql://db.internal:5432/autodeploy\", sync: normal}"))
                .singleElement().asString().contains("store.sync").contains("synchronous_commit");
        assertThat(problems("store: {url: \"jdbc:postgresql://db.internal:5432/autodeploy\", sync: full}")).isEmpty();
        assertThat(problems("store: {url: memory, sync: normal}")).singleElement().asString()
                .contains("store.sync").contains("memory");
    }

    @Test
    void aRetentionShorterThanTheDedupeWindowIsRefused() {
        assertThat(problems("store: {retention: 1s, dedupe_window: 7d}")).singleElement().asString()
                .contains("store.retention").contains("shorter than store.dedupe_window");
        assertThat(problems("store: {retention: 7d, dedupe_window: 7d}")).isEmpty();
    }

    @Test
    void aLogBudgetBelowOneLogsLimitIsRefused() {
        assertThat(parse("store: {url: memory}").robot().store().logBudgetBytes()).isEqualTo(1L << 30);
        assertThat(problems("engine: {log_limit_bytes: 65536}\nstore: {log_budget_bytes: 4096}")).singleElement().asString()
                .contains("store.log_budget_bytes").contains("less than one deployment's log");
        assertThat(problems("store: {log_budget_bytes: 12}")).singleElement().asString().contains("at least 1024");
    }

    @Test
    void aUrlFromTheEnvironmentIsReadAndItsPasswordIsASecret() {
        LoadedConfig c = parse("store: {url: \"${DB_URL}\"}");
        assertThat(c.storeUrl()).isEqualTo(ENV.get("DB_URL"));
        assertThat(c.robot().secrets()).contains(PASSWORD);
        assertThat(c.robot().store().describe()).doesNotContain(PASSWORD).contains("password=***");
    }

    @Test
    void theStorePasswordIsASecret() {
        LoadedConfig c = parse("store: {url: \"jdbc:postgresql://db/autodeploy\", user: robot, password: literal-pass-42}");
        assertThat(c.robot().secrets()).contains("literal-pass-42");
    }

    @Test
    void aConfigFromNoFileKeepsItsStoreInMemoryByDefault() {
        assertThat(parse("").storeUrl()).isEqualTo("memory");
    }

    @Test
    void aFileWithoutStoreUrlKeepsItsStoreInSqliteInTheStateFolderBesideIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), config(""));
        LoadedConfig c = ConfigFile.load(file, ENV);
        assertThat(c.storeUrl()).isEqualTo("jdbc:sqlite:" + dir.toAbsolutePath().resolve(".autodeploy/autodeploy.db"));
    }

    @Test
    void aRelativeSqliteFileIsRelativeToTheConfigFilesFolder(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), config("store: {url: \"jdbc:sqlite:data/robot.db?busy_timeout=5000\"}"));
        assertThat(ConfigFile.load(file, ENV).storeUrl())
                .isEqualTo("jdbc:sqlite:" + dir.toAbsolutePath().resolve("data/robot.db") + "?busy_timeout=5000");
        Path absolute = Files.writeString(dir.resolve("absolute.yml"), config("store: {url: \"jdbc:sqlite:/var/lib/autodeploy/a.db\"}"));
        assertThat(ConfigFile.load(absolute, ENV).storeUrl()).isEqualTo("jdbc:sqlite:/var/lib/autodeploy/a.db");
        Path memory = Files.writeString(dir.resolve("memory.yml"), config("store: {url: memory}"));
        assertThat(ConfigFile.load(memory, ENV).storeUrl()).isEqualTo("memory");
    }

    @Test
    void anUnknownSchemeIsAProblemNamingTheKeyAndItsLine() {
        assertThat(problems("store:\n  url: jdbc:mysql://db/autodeploy")).containsExactly(
                "line 3: store.url: \"jdbc:mysql://db/autodeploy\" is not a store URL; use memory, jdbc:sqlite:FILE or "
                        + "jdbc:postgresql://HOST:PORT/DB");
    }

    @Test
    void malformedUrlsAreProblems() {
        assertThat(problems("store: {url: \"\"}")).singleElement().asString()
                .startsWith("line 2: store.url: is empty; remove the key for the default");
        assertThat(problems("store: {url: \"jdbc:sqlite:\"}")).singleElement().asString().contains("names no file");
        assertThat(problems("store: {url: \"jdbc:sqlite::memory:\"}")).singleElement().asString()
                .contains("use store.url: memory");
        assertThat(problems("store: {url: \"jdbc:postgresql://db.internal:5432/\"}")).singleElement().asString()
                .contains("names no database");
        assertThat(problems("store: {url: \"jdbc:postgresql:///autodeploy\"}")).singleElement().asString()
                .contains("names no host");
        assertThat(problems("store: {url: \"jdbc:postgresql://db:99999/autodeploy\"}")).singleElement().asString()
                .contains("no valid port");
        assertThat(problems("store: {url: [memory]}")).containsExactly("line 2: store.url: must be a single value, not a list");
    }

    @Test
    void aUserOrPasswordWithoutPostgresqlIsAProblem() {
        assertThat(problems("""
                store:
                  url: memory
                  user: robot
                  password: ${DB_PASSWORD}
                """)).containsExactly(
                "line 4: store.user: is only for PostgreSQL, and store.url is memory; remove it, or set store.url to "
                        + "jdbc:postgresql://HOST:PORT/DB",
                "line 5: store.password: is only for PostgreSQL, and store.url is memory; remove it, or set store.url to "
                        + "jdbc:postgresql://HOST:PORT/DB");
        assertThat(problems("store: {url: \"jdbc:sqlite:a.db\", user: robot}")).singleElement().asString()
                .contains("store.user: is only for PostgreSQL, and store.url is not a jdbc:postgresql:// URL");
        assertThat(problems("store: {user: robot}")).singleElement().asString()
                .contains("store.user: is only for PostgreSQL, and store.url is not set (SQLite beside the config)");
        assertThat(problems("store: {url: \"jdbc:postgresql://db/a\", password: \"\"}")).singleElement().asString()
                .contains("store.password: is empty");
    }

    @Test
    void durationsMustBePositiveAndTheLeaseAtLeastASecond() {
        assertThat(problems("""
                store:
                  retention: 0s
                  dedupe_window: -7d
                  lease_timeout: 500ms
                """)).containsExactly(
                "line 3: store.retention: \"0s\" is not a positive duration; write it like 90s, 30m or 2h",
                "line 4: store.dedupe_window: \"-7d\" is not a positive duration; write it like 90s, 30m or 2h",
                "line 5: store.lease_timeout: is 500ms; a node renews its lease well within it, so give it at least 1s "
                        + "(default 30s)");
    }

    @Test
    void aMistypedStoreKeyIsReportedWithTheClosestOne() {
        assertThat(problems("store: {urll: memory}")).containsExactly("line 2: store.urll: unknown key; did you mean url?");
    }

    @Test
    void noProblemMessageShowsAPasswordOfTheUrlWrittenInTheFileOrFromTheEnvironment(@TempDir Path dir) throws Exception {
        List<String> hostile = List.of(
                "store: {url: \"jdbc:mysql://robot:" + PASSWORD + "@db/a\"}",
                "store: {url: \"jdbc:postgresql://robot:p@" + PASSWORD + "/x@db:5432/a\", retention: never}",
                "store: {url: \"jdbc:postgresql://db:5432/?password=" + PASSWORD + "\"}",
                "store: {url: \"jdbc:sqlite:?password=" + PASSWORD + "\"}",
                "store: {url: \"mongodb://db/a?user=robot&Password=" + PASSWORD + "\"}",
                "store: {url: memory, password: " + PASSWORD + "}",
                "store: {url: \"${DB_URL}\", user: robot, retention: never}",
                "store: {url: \"x${DB_URL}\"}",
                "store: {url: \"jdbc:sqlite:a.db\", password: \"${DB_PASSWORD}\"}");
        for (String store : hostile) {
            assertThat(problems(store)).as(store).isNotEmpty().noneMatch(p -> p.contains(PASSWORD));
            Path file = Files.writeString(dir.resolve("autodeploy.yml"), config(store));
            assertThat(ConfigFile.check(file, ENV)).as(store).isNotEmpty().noneMatch(p -> p.contains(PASSWORD));
        }
    }
}
