package io.github.autodeploy.slack;

import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.testkit.NotifierContract;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;

/** The core's {@code Notifier} contract, passed by the Slack notifier against MockWebServer playing Slack. */
class SlackNotifierContractTest extends NotifierContract {
    @StartStop
    private final MockWebServer slack = new MockWebServer();
    private SlackNotifier notifier;
    private final AtomicInteger sections = new AtomicInteger();

    @Override
    protected Notifier notifier() {
        slack.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                // Notices of one repository may share a message: count each one's section.
                sections.addAndGet(request.getBody().utf8().split("\"type\":\"section\"", -1).length - 1);
                return new MockResponse.Builder().code(200).body("ok").build();
            }
        });
        notifier = SlackNotifier.builder().webhookUrl(slack.url("/services/T/B/C").toString()).rate(100, 20).build();
        return notifier;
    }

    @Override
    protected void awaitDelivered(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> notifier.delivered() >= count && sections.get() >= count);
    }

    @AfterEach
    void close() {
        notifier.close();
    }
}
