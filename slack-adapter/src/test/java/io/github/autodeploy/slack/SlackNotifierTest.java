package io.github.autodeploy.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.testkit.Values;
import io.github.autodeploy.testkit.ManualTimeSource;
import io.github.autodeploy.core.time.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlackNotifierTest {
    @StartStop
    private final MockWebServer slack = new MockWebServer();
    private SlackNotifier notifier;

    private SlackNotifier notifier(double perSecond, int burst) {
        notifier = SlackNotifier.builder().webhookUrl(slack.url("/services/T000/B000/XXXX").toString())
                .rate(perSecond, burst).retries(3, RetryPolicy.of(Duration.ofMillis(20), Duration.ofMillis(200))).timeout(Duration.ofSeconds(2)).build();
        return notifier;
    }

    @AfterEach
    void close() {
        if (notifier != null) {
            notifier.close();
        }
    }

    private static MockResponse ok() {
        return new MockResponse.Builder().code(200).body("ok").build();
    }

    @Test
    void postsTheBlockKitMessageToTheWebhook() throws Exception {
        slack.enqueue(ok());
        notifier(50, 3).notify(Values.notice(NotificationKind.SUCCEEDED));
        RecordedRequest r = slack.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/services/T000/B000/XXXX");
        assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
        JsonNode body = new ObjectMapper().readTree(r.getBody().utf8());
        assertThat(body.path("text").asText()).startsWith("Deployed octo/app a10867b to production");
        assertThat(body.path("blocks").get(0).path("type").asText()).isEqualTo("section");
        await().until(() -> notifier.delivered() == 1);
    }

    @Test
    void aRepositorysOwnWebhookWins() throws Exception {
        slack.enqueue(ok());
        Notice n = Values.notice(NotificationKind.FAILED);
        notifier(50, 3).notify(new Notice(n.kind(), n.repository(), n.environment(), n.sha(), n.ref(), n.deploymentId(), n.requester(), n.actor(),
                n.description(), n.logUrl(), n.duration(), n.contexts(), Optional.of(slack.url("/services/T1/B1/REPO").toString())));
        assertThat(slack.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath()).isEqualTo("/services/T1/B1/REPO");
    }

    @Test
    void waitsAsLongAs429AsksThenSends() throws Exception {
        ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
        slack.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "30").body("rate_limited").build());
        slack.enqueue(ok());
        notifier = SlackNotifier.builder().webhookUrl(slack.url("/services/T000/B000/XXXX").toString()).rate(50, 3)
                .retries(3, RetryPolicy.of(Duration.ofMillis(20), Duration.ofSeconds(1))).timeSource(time).build();
        notifier.notify(Values.notice(NotificationKind.STARTED));
        slack.takeRequest(5, TimeUnit.SECONDS);
        await().until(() -> notifier.queued() == 1);
        time.advance(Duration.ofSeconds(29));
        await().during(Duration.ofMillis(300)).until(() -> slack.getRequestCount() == 1);
        time.advance(Duration.ofSeconds(1));
        await().until(() -> notifier.delivered() == 1);
        assertThat(slack.getRequestCount()).isEqualTo(2);
    }

    @Test
    void serverErrorIsRetried() {
        slack.enqueue(new MockResponse.Builder().code(500).body("internal_error").build());
        slack.enqueue(ok());
        notifier(50, 3).notify(Values.notice(NotificationKind.STARTED));
        await().atMost(Duration.ofSeconds(5)).until(() -> notifier.delivered() == 1);
        assertThat(slack.getRequestCount()).isEqualTo(2);
    }

    @Test
    void channelNotFoundIsNotRetried() {
        slack.enqueue(new MockResponse.Builder().code(404).body("channel_not_found").build());
        notifier(50, 3).notify(Values.notice(NotificationKind.STARTED));
        await().atMost(Duration.ofSeconds(5)).until(() -> notifier.failed() == 1);
        notifier.close();
        assertThat(slack.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aBurstOfTwentyIsSpacedToTheRate() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        slack.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                arrivals.add(System.nanoTime());
                return ok();
            }
        });
        SlackNotifier n = notifier(10, 3);
        for (int i = 0; i < 20; i++) {
            n.notify(noticeOf("octo/app" + i, NotificationKind.STARTED));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> n.delivered() == 20);
        // 3 at once, then 10 a second: the 20th cannot arrive sooner than 1.7 s after the first.
        assertThat(Duration.ofNanos(arrivals.get(19) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(1600));
        for (int i = 3; i < arrivals.size(); i++) {
            // Any 4 consecutive messages span at least one refill interval (100 ms), less timer slack.
            assertThat(Duration.ofNanos(arrivals.get(i) - arrivals.get(i - 3))).isGreaterThanOrEqualTo(Duration.ofMillis(90));
        }
    }

    @Test
    void aFullQueueDropsTheOldestAndCountsIt() {
        slack.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).code(200).body("ok").build());
        notifier = SlackNotifier.builder().webhookUrl(slack.url("/services/T/B/X").toString()).queueCapacity(2)
                .rate(100, 1).timeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < 6; i++) {
            notifier.notify(noticeOf("octo/app" + i, NotificationKind.STARTED));
        }
        assertThat(notifier.dropped()).isGreaterThanOrEqualTo(3);
    }

    private static Notice noticeOf(String repository, NotificationKind kind) {
        Notice n = Values.notice(kind);
        return new Notice(n.kind(), RepositoryName.of(repository), n.environment(), n.sha(), n.ref(), n.deploymentId(),
                n.requester(), n.actor(), n.description(), n.logUrl(), n.duration(), n.contexts(), n.webhookUrl());
    }

    private SlackNotifier onManualTime(ManualTimeSource time, double perSecond, int burst, Duration closeGrace) {
        notifier = SlackNotifier.builder().webhookUrl(slack.url("/services/T000/B000/XXXX").toString()).rate(perSecond, burst)
                .retries(3, RetryPolicy.of(Duration.ofMillis(20), Duration.ofSeconds(1))).timeSource(time)
                .closeGrace(closeGrace).build();
        return notifier;
    }

    @Test
    void fortyFiveNoticesOfOneRepositoryBecomeAFewMessagesAtTheRate() throws Exception {
        ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
        slack.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return ok();
            }
        });
        SlackNotifier n = onManualTime(time, 1, 3, Duration.ofSeconds(5));
        NotificationKind[] kinds = {NotificationKind.QUEUED, NotificationKind.STARTED, NotificationKind.SUCCEEDED};
        for (int i = 0; i < 45; i++) {
            n.notify(Values.notice(kinds[i % 3]));
        }
        for (int second = 0; second < 10 && n.delivered() < 45; second++) {
            time.advance(Duration.ofSeconds(1));
            long before = n.delivered();
            await().atMost(Duration.ofSeconds(5)).until(() -> n.delivered() > before || n.delivered() == 45 || n.queued() == 0);
        }
        await().until(() -> n.delivered() == 45);
        // The burst of 3 may go one notice each; the other notices share messages of at most 25.
        assertThat(n.messages()).isBetween(2L, 5L);
        assertThat(slack.getRequestCount()).isEqualTo((int) n.messages());
        int sections = 0;
        for (int i = 0; i < slack.getRequestCount(); i++) {
            JsonNode body = new ObjectMapper().readTree(slack.takeRequest(1, TimeUnit.SECONDS).getBody().utf8());
            assertThat(body.path("blocks").size()).isLessThanOrEqualTo(Messages.MAX_BLOCKS);
            for (JsonNode b : body.path("blocks")) {
                sections += b.path("type").asText().equals("section") ? 1 : 0;
            }
        }
        assertThat(sections).as("every notice in some message, once").isEqualTo(45);
    }

    @Test
    void noticesOfAnotherRepositoryDoNotJoinTheMessage() throws Exception {
        ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
        slack.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return ok();
            }
        });
        SlackNotifier n = onManualTime(time, 1, 1, Duration.ofSeconds(5));
        n.notify(noticeOf("octo/first", NotificationKind.STARTED));
        await().until(() -> n.delivered() == 1);
        n.notify(noticeOf("octo/app", NotificationKind.STARTED));
        n.notify(noticeOf("octo/other", NotificationKind.STARTED));
        n.notify(noticeOf("octo/other", NotificationKind.SUCCEEDED));
        time.advance(Duration.ofSeconds(1));
        await().until(() -> n.delivered() == 2);
        time.advance(Duration.ofSeconds(1));
        await().until(() -> n.delivered() == 4);
        assertThat(n.messages()).isEqualTo(3);
        slack.takeRequest(1, TimeUnit.SECONDS);
        assertThat(slack.takeRequest(1, TimeUnit.SECONDS).getBody().utf8()).contains("octo/app").doesNotContain("octo/other");
        assertThat(slack.takeRequest(1, TimeUnit.SECONDS).getBody().utf8()).contains("octo/other").doesNotContain("octo/app|");
        assertThat(n.queued()).isZero();
    }

    @Test
    void closeSendsWhatIsQueuedWithinTheGraceAtTheRate() throws Exception {
        ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
        slack.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return ok();
            }
        });
        SlackNotifier n = onManualTime(time, 1, 1, Duration.ofSeconds(30));
        for (int i = 0; i < 10; i++) {
            n.notify(noticeOf("octo/app" + i, NotificationKind.ERRORED));
        }
        await().until(() -> n.delivered() == 1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(n::close);
        for (int second = 1; second <= 12 && !closing.isDone(); second++) {
            time.advance(Duration.ofSeconds(1));
            int sent = Math.min(10, second + 1);
            await().until(() -> n.delivered() >= sent || closing.isDone());
        }
        closing.get(5, TimeUnit.SECONDS);
        assertThat(n.delivered()).as("sent within the 30 s grace, although that is more than 5 s").isEqualTo(10);
        assertThat(n.dropped()).isZero();
        assertThat(slack.getRequestCount()).isEqualTo(10);
    }

    @Test
    void whatTheGraceCannotSendIsDroppedAndCounted() throws Exception {
        ManualTimeSource time = ManualTimeSource.at("2026-11-27T10:00:00Z");
        slack.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return ok();
            }
        });
        SlackNotifier n = onManualTime(time, 1, 1, Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            n.notify(noticeOf("octo/app" + i, NotificationKind.ERRORED));
        }
        await().until(() -> n.delivered() == 1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(n::close);
        for (int second = 1; !closing.isDone(); second++) {
            time.advance(Duration.ofSeconds(1));
            int sent = Math.min(10, second + 1);
            await().until(() -> n.delivered() >= sent || closing.isDone());
        }
        closing.get(5, TimeUnit.SECONDS);
        // A message in flight when the grace ends still lands (or fails) a moment later; none is lost uncounted.
        await().until(() -> n.delivered() + n.dropped() + n.failed() == 10);
        assertThat(n.dropped()).as("a 2 s grace cannot send ten messages at one a second").isPositive();
    }

    @Test
    void noWebhookMeansNoMessage() {
        notifier = SlackNotifier.builder().build();
        notifier.notify(Values.notice(NotificationKind.STARTED));
        notifier.close();
        assertThat(slack.getRequestCount()).isZero();
    }

    @Test
    void webhookUrlsAreMaskedWhenLogged() {
        assertThat(SlackNotifier.mask("https://hooks.slack.com/services/T000/B000/XXXXSECRET"))
                .isEqualTo("https://hooks.slack.com/***");
    }
}
