package io.github.autodeploy.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A MockWebServer dispatcher playing GitHub for protection rules: it issues installation tokens
 * ({@code ghs_installation_ID}) and takes reviews and reports with 204, or the answers it was told to give
 * next; it keeps every request. Thread-safe.
 */
final class ProtectionRuleGitHub extends Dispatcher {
    static final String PEM = pem();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKENS = Pattern.compile("(?:/api/v3)?/app/installations/(\\d+)/access_tokens");
    private static final Pattern RULE = Pattern.compile("(?:/api/v3)?/repos/([^/]+)/([^/]+)/actions/runs/(\\d+)/deployment_protection_rule");
    private final Deque<MockResponse> ruleAnswers = new ArrayDeque<>();
    private final Deque<MockResponse> tokenAnswers = new ArrayDeque<>();
    private final List<RecordedRequest> requests = new ArrayList<>();

    /** What a review or report carried, with the run id and Authorization header it came with. */
    record Taken(long runId, JsonNode body, String authorization) {
    }

    private static String pem() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized ProtectionRuleGitHub answerRule(MockResponse answer) {
        ruleAnswers.add(answer);
        return this;
    }

    synchronized ProtectionRuleGitHub answerToken(MockResponse answer) {
        tokenAnswers.add(answer);
        return this;
    }

    synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    synchronized List<RecordedRequest> tokenRequests() {
        return requests.stream().filter(r -> TOKENS.matcher(r.getUrl().encodedPath()).matches()).toList();
    }

    /** The reviews and reports that reached this GitHub (answered or not), in order. */
    synchronized List<Taken> taken() {
        List<Taken> out = new ArrayList<>();
        for (RecordedRequest r : requests) {
            Matcher m = RULE.matcher(r.getUrl().encodedPath());
            if (m.matches()) {
                try {
                    out.add(new Taken(Long.parseLong(m.group(3)), JSON.readTree(r.getBody().utf8()), r.getHeaders().get("Authorization")));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        String path = request.getUrl().encodedPath();
        Matcher t = TOKENS.matcher(path);
        if (t.matches() && request.getMethod().equals("POST")) {
            MockResponse scripted = tokenAnswers.poll();
            return scripted != null ? scripted : json(201, "{\"token\":\"ghs_installation_" + t.group(1)
                    + "\",\"expires_at\":\"2099-01-01T00:00:00Z\"}");
        }
        if (RULE.matcher(path).matches() && request.getMethod().equals("POST")) {
            MockResponse scripted = ruleAnswers.poll();
            return scripted != null ? scripted : new MockResponse.Builder().code(204).build();
        }
        return json(404, "{\"message\":\"Not Found\"}");
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json; charset=utf-8").body(body).build();
    }
}
