package io.github.autodeploy.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreUrlsTest {

    @Test
    void masksAPasswordParameterWhateverItsCase() {
        assertThat(StoreUrls.mask("jdbc:postgresql://db:5432/autodeploy?user=robot&password=pg-secret-1&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/autodeploy?user=robot&password=***&ssl=true");
        assertThat(StoreUrls.mask("jdbc:postgresql://db/a?PASSWORD=pg-secret-1")).isEqualTo("jdbc:postgresql://db/a?PASSWORD=***");
        assertThat(StoreUrls.mask("jdbc:postgresql://db/a?sslpassword=key-secret")).doesNotContain("key-secret");
    }

    @Test
    void masksTheWholePasswordOfAUserPartEvenWhenItHoldsAtSignsAndSlashes() {
        assertThat(StoreUrls.mask("jdbc:postgresql://robot:p@ss/w0rd@db:5432/autodeploy"))
                .isEqualTo("jdbc:postgresql://robot:***@db:5432/autodeploy");
        assertThat(StoreUrls.passwords("jdbc:postgresql://robot:p@ss/w0rd@db:5432/autodeploy")).containsExactly("p@ss/w0rd");
    }

    @Test
    void leavesAUrlWithoutPasswordAsItIs() {
        assertThat(StoreUrls.mask("jdbc:sqlite:/var/lib/autodeploy/autodeploy.db")).isEqualTo("jdbc:sqlite:/var/lib/autodeploy/autodeploy.db");
        assertThat(StoreUrls.mask("jdbc:postgresql://robot@db/autodeploy")).isEqualTo("jdbc:postgresql://robot@db/autodeploy");
        assertThat(StoreUrls.passwords("jdbc:postgresql://db/autodeploy?user=robot")).isEmpty();
        assertThat(StoreUrls.passwords("memory")).isEmpty();
    }

    @Test
    void findsEveryPasswordOfAUrl() {
        assertThat(StoreUrls.passwords("jdbc:postgresql://u:first-pass@db/a?password=second-pass"))
                .containsExactlyInAnyOrder("first-pass", "second-pass");
    }

    @Test
    void theStorePasswordAndThePasswordsOfItsUrlAreSecretsOfTheRobot() {
        RobotConfig.Store store = new RobotConfig.Store(Optional.of("jdbc:postgresql://db/a?password=url-pass-1"),
                Optional.of("robot"), Optional.of("key-pass-2"), RobotConfig.Store.defaults().retention(),
                RobotConfig.Store.defaults().dedupeWindow(), RobotConfig.Store.defaults().leaseTimeout());
        RobotConfig c = new RobotConfig(RobotConfig.DEFAULT_GITHUB_API_URL, Optional.empty(), List.of("hook-secret"), false,
                Optional.empty(), RobotConfig.DEFAULT_PUBLIC_URL, List.of(), RobotConfig.Engine.defaults(), List.of(), store);
        assertThat(c.secrets()).contains("url-pass-1", "key-pass-2").doesNotContain("robot");
        assertThat(c.withPublicUrl("https://deploy.example.com").store()).isEqualTo(store);
        assertThat(store.describe()).isEqualTo("jdbc:postgresql://db/a?password=***");
    }

    @Test
    void theSqliteFileIsTheUrlWithoutItsParameters() {
        assertThat(StoreUrls.sqliteFile("jdbc:sqlite:data/autodeploy.db?journal_mode=WAL")).isEqualTo("data/autodeploy.db");
        assertThat(StoreUrls.sqliteFile("jdbc:postgresql://db/a")).isEmpty();
    }

    @Test
    void userInfoIsTakenOutDecoded() {
        StoreUrls.Credentials c = StoreUrls.splitUserInfo("jdbc:postgresql://robot:p%40ss@w0rd@db.internal:5432/autodeploy?ssl=true")
                .orElseThrow();
        assertThat(c.url()).isEqualTo("jdbc:postgresql://db.internal:5432/autodeploy?ssl=true");
        assertThat(c.user()).isEqualTo("robot");
        assertThat(c.password()).isEqualTo("p@ss@w0rd");
        assertThat(c.toString()).doesNotContain("p@ss");
        assertThat(StoreUrls.splitUserInfo("jdbc:postgresql://db/autodeploy?user=robot&password=x")).isEmpty();
        assertThat(StoreUrls.mask("jdbc:postgresql://robot:pa@ss@db/autodeploy")).isEqualTo("jdbc:postgresql://robot:***@db/autodeploy");
    }
}
