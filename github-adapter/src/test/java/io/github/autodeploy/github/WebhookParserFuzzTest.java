package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.autodeploy.core.event.WebhookEvent;

/**
 * Whatever arrives (any event name, content type and body), the parser returns an event or throws
 * its one documented exception, with a message and a kind; nothing else escapes. The seed corpus
 * holds the octokit payload examples (MIT, see LICENSE.octokit beside them).
 */
class WebhookParserFuzzTest {
    private static final String[] EVENTS = {"ping", "push", "pull_request", "deployment", "deployment_status", "status",
        "check_run", "check_suite", "workflow_run", "issues", "", "deployment_protection_rule"};
    private static final String[] TYPES = {"application/json", "application/json; charset=utf-8",
        "application/x-www-form-urlencoded", "text/plain", ""};
    private final WebhookParser parser = WebhookParser.create();

    @FuzzTest(maxDuration = "30s")
    void returnsAnEventOrItsParseException(FuzzedDataProvider data) {
        String event = data.consumeBoolean() ? data.pickValue(EVENTS) : data.consumeString(20);
        String type = data.pickValue(TYPES);
        byte[] body = data.consumeRemainingAsBytes();
        try {
            WebhookEvent e = parser.parse(event, type, body);
            assertThat(e).isNotNull();
        } catch (WebhookParseException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(e.kind()).isNotNull();
        }
    }
}
