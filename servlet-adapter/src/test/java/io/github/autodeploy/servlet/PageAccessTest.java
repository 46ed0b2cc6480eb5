package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PageAccessTest {
    private static String basic(String userAndPassword) {
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
    void configuredCredentialsLetTheirHoldersIn() {
        PageAccess access = PageAccess.credentials(Optional.of("pages-token"), Optional.of("admin"), Optional.of("pw"));
        assertThat(access.allows("Bearer pages-token")).isTrue();
        assertThat(access.allows(basic("admin:pw"))).isTrue();
        assertThat(access.allows(basic("admin:"))).isFalse();
        assertThat(access.allows(null)).isFalse();
        assertThat(access.closedToAll()).isFalse();
    }
}
