package io.github.autodeploy.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecapTest {
    private static List<String> captured(String name) throws IOException {
        try (InputStream in = RecapTest.class.getResourceAsStream("/recap/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void readsThePlayRecapOfARealRunWithAFailedAndAnUnreachableHost() throws IOException {
        List<HostStats> hosts = Recap.read(captured("failed-and-unreachable.txt"));
        assertThat(hosts).containsExactly(
                new HostStats("web1", 1, 1, 0, 0, 1, 0, 0),
                new HostStats("web2", 1, 1, 0, 1, 0, 0, 0),
                new HostStats("web3", 0, 0, 1, 0, 0, 0, 0));
        assertThat(Recap.summary(hosts)).contains("failed on web2 (1 of 3 hosts); unreachable: web3 (1 of 3 hosts); 1 ok");
    }

    @Test
    void summarisesASuccessfulRun() throws IOException {
        assertThat(Recap.summary(Recap.read(captured("success.txt")))).contains("1 ok, 1 changed");
    }

    @Test
    void aSyntaxErrorHasNoRecap() throws IOException {
        assertThat(Recap.read(captured("syntax-error.txt"))).isEmpty();
        assertThat(Recap.summary(List.of())).isEmpty();
    }

    @Test
    void readsTheJsonCallbackStats() throws IOException {
        List<HostStats> hosts = Recap.read(captured("json-callback-two-hosts.json"));
        assertThat(hosts).containsExactly(new HostStats("web1", 3, 1, 0, 0, 2, 0, 1), new HostStats("web2", 1, 0, 0, 1, 0, 0, 0));
        assertThat(Recap.summary(hosts)).contains("failed on web2 (1 of 2 hosts); 1 ok");
    }

    @Test
    void ofSeveralJsonDocumentsTheLastStatsCount() throws IOException {
        assertThat(Recap.read(captured("json-callback-two-runs.txt"))).containsExactly(new HostStats("web1", 4, 2, 0, 0, 0, 0, 0));
    }

    @Test
    void namesFailedHostsFirstAndCountsTheRest() {
        List<HostStats> hosts = List.of(new HostStats("web1", 3, 1, 0, 0, 0, 0, 0), new HostStats("web2", 2, 0, 0, 1, 0, 0, 0),
                new HostStats("web3", 2, 0, 0, 1, 0, 0, 0), new HostStats("web4", 3, 0, 0, 0, 0, 0, 0),
                new HostStats("web5", 3, 0, 0, 0, 0, 0, 0));
        assertThat(Recap.summary(hosts)).contains("failed on web2, web3 (2 of 5 hosts); 3 ok");
    }
}
