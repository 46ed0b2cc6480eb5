package io.github.autodeploy.examples.standalone;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * GitHub as the end-to-end test needs it: CI is green for every commit, a created deployment gets id
 * 4242, statuses are accepted; every request is kept in order.
 */
final class RecordingGitHub extends Dispatcher {
    static final long DEPLOYMENT_ID = 4242;
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse dispatch(RecordedRequest r) {
        requests.add(r);
        String path = r.getUrl().encodedPath();
        if (r.getMethod().equals("GET") && path.endsWith("/statuses") && path.contains("/commits/")) {
            return json(200, "[{\"context\":\"ci/build\",\"state\":\"success\",\"updated_at\":\"" + Instant.now() + "\"}]");
        }
        if (r.getMethod().equals("GET") && path.endsWith("/check-runs")) {
            return json(200, "{\"total_count\":0,\"check_runs\":[]}");
        }
        if (r.getMethod().equals("GET") && path.endsWith("/deployments")) {
            return json(200, "[]");
        }
        if (r.getMethod().equals("POST") && path.endsWith("/deployments")) {
            return json(201, "{\"id\":" + DEPLOYMENT_ID + "}");
        }
        if (r.getMethod().equals("POST") && path.endsWith("/statuses")) {
            return json(201, "{\"id\":1}");
        }
        return json(404, "{\"message\":\"Not Found\"}");
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }
}
