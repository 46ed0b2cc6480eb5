package io.github.autodeploy.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.testing.SharedFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The recap reader on real {@code json} callback output (go-ansible's test data, in {@code ../shared/fixtures}). */
class RecapConformanceTest {
    private static final String JSON = "ansible-json-callback/";

    @Test
    void readsTheJsonCallbackStats() {
        List<HostStats> single = Recap.read(SharedFixtures.text(JSON + "go-ansible.debug-single-host.json").lines().toList());
        assertThat(single).containsExactly(new HostStats("127.0.0.1", 1, 0, 0, 0, 0, 0, 0));
        List<HostStats> failing = Recap.read(SharedFixtures.text(JSON + "go-ansible.skipping-and-failing-tasks.json").lines().toList());
        assertThat(failing).containsExactly(new HostStats("127.0.0.1", 2, 2, 0, 1, 1, 0, 1));
    }

    @Test
    void ofSeveralJsonDocumentsTheLastStatsCount() {
        String stream = SharedFixtures.text(JSON + "go-ansible.three-playbooks-concatenated.jsonstream.txt");
        List<HostStats> hosts = Recap.read(stream.lines().toList());
        assertThat(hosts).isNotEmpty();
        assertThat(hosts).isEqualTo(Recap.jsonStats(stream.substring(stream.lastIndexOf("\"stats\"") - 1)));
    }
}
