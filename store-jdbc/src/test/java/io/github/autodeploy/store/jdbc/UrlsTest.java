package io.github.autodeploy.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlsTest {
    @Test
    void passwordParametersAreMasked() {
        assertThat(Urls.mask("jdbc:postgresql://db:5432/app?user=robot&password=s3cr%26t&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/app?user=robot&password=***&ssl=true");
        assertThat(Urls.mask("jdbc:postgresql://db/app;PASSWORD=x")).isEqualTo("jdbc:postgresql://db/app;PASSWORD=***");
    }

    @Test
    void userInfoPasswordsAreMasked() {
        assertThat(Urls.mask("jdbc:postgresql://robot:secret@db/app")).isEqualTo("jdbc:postgresql://robot:***@db/app");
    }

    @Test
    void urlsWithoutSecretsStayAsTheyAre() {
        assertThat(Urls.mask("jdbc:sqlite:/var/lib/autodeploy/autodeploy.db")).isEqualTo("jdbc:sqlite:/var/lib/autodeploy/autodeploy.db");
    }
}
