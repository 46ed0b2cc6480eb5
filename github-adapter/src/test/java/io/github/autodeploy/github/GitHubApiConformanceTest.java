package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The check {@link GitHubClientConformanceTest} leans on does catch requests GitHub would not accept. */
class GitHubApiConformanceTest {
    @StartStop
    private final MockWebServer server = new MockWebServer();

    /** Outside the assertions' lambdas, so that an absent folder skips the test instead of counting as the expected throw. */
    @BeforeEach
    void readTheDescription() {
        GitHubApiConformance.spec();
    }

    private RecordedRequest send(String method, String path, String body) throws Exception {
        server.enqueue(new MockResponse.Builder().code(201).body("{}").build());
        new OkHttpClient().newCall(new Request.Builder().url(server.url(path))
                .method(method, body == null ? null : RequestBody.create(body, MediaType.get("application/json"))).build())
                .execute().close();
        return server.takeRequest(5, TimeUnit.SECONDS);
    }

    @Test
    void unknownFieldIsCaught() throws Exception {
        RecordedRequest r = send("POST", "/repos/o/r/deployments/1/statuses", "{\"state\":\"success\",\"bogus\":1}");
        assertThatThrownBy(() -> GitHubApiConformance.assertDescribes(r, "")).hasMessageContaining("bogus");
    }

    @Test
    void illegalEnumValueIsCaught() throws Exception {
        RecordedRequest r = send("POST", "/repos/o/r/deployments/1/statuses", "{\"state\":\"finished\"}");
        assertThatThrownBy(() -> GitHubApiConformance.assertDescribes(r, "")).hasMessageContaining("state");
    }

    @Test
    void missingRequiredFieldIsCaught() throws Exception {
        RecordedRequest r = send("POST", "/repos/o/r/deployments", "{\"task\":\"deploy\"}");
        assertThatThrownBy(() -> GitHubApiConformance.assertDescribes(r, "")).hasMessageContaining("ref");
    }

    @Test
    void undescribedPathOrQueryIsCaught() throws Exception {
        RecordedRequest r = send("GET", "/repos/o/r/secrets", null);
        assertThatThrownBy(() -> GitHubApiConformance.assertDescribes(r, "")).hasMessageContaining("matches no path");
        RecordedRequest q = send("GET", "/repos/o/r/deployments?colour=red", null);
        assertThatThrownBy(() -> GitHubApiConformance.assertDescribes(q, "")).hasMessageContaining("colour");
    }
}
