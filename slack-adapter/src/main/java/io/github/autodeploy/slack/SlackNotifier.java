package io.github.autodeploy.slack;

import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.port.RobotMetrics;
import io.github.autodeploy.core.time.RetryPolicy;
import io.github.autodeploy.core.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a Slack channel about deployments through incoming webhooks. {@link #notify} only renders and
 * queues: one delivery thread posts, at about one message per second per webhook with a small burst,
 * retries 429, 5xx and connection failures a few times after the {@link RetryPolicy}'s delay (never
 * sooner than a 429's {@code Retry-After}), and gives up at once
 * (logging it once) on Slack's error codes such as {@code channel_not_found}. Notices of one repository
 * that wait for the same webhook share a message (up to Slack's 50 blocks), so a burst of notices
 * costs a few messages instead of minutes at the rate limit. Waits for the rate and for retries are
 * scheduled on the {@link TimeSource}, holding no thread. The queue is bounded: when full, the oldest
 * message is dropped and its notices counted. Webhook URLs are secrets and are never logged in full.
 * Thread-safe; {@link #close()} sends what is queued within the close grace, then stops the thread.
 */
public final class SlackNotifier implements Notifier, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SlackNotifier.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private final Optional<String> defaultUrl;
    private final String githubWebUrl;
    private final OkHttpClient http;
    private final int capacity;
    private final double perSecond;
    private final int burst;
    private final int attempts;
    private final RetryPolicy retry;
    private final TimeSource time;
    private final Duration closeGrace;
    private final Deque<Batch> queue = new ArrayDeque<>();
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final RobotMetrics metrics;
    private final AtomicLong failed = new AtomicLong();
    private final ScheduledExecutorService worker;
    private boolean closed;
    private boolean sending;
    private boolean roundQueued;
    private Future<?> wake;

    private SlackNotifier(Builder b) {
        this.defaultUrl = Optional.ofNullable(b.webhookUrl);
        this.githubWebUrl = b.githubWebUrl.replaceAll("/+$", "");
        this.http = (b.okHttp == null ? new OkHttpClient() : b.okHttp).newBuilder()
                .connectTimeout(b.timeout).readTimeout(b.timeout).callTimeout(b.timeout.multipliedBy(2)).build();
        this.capacity = b.capacity;
        this.perSecond = b.perSecond;
        this.burst = b.burst;
        this.attempts = b.attempts;
        this.retry = b.retry;
        this.time = b.time;
        this.metrics = b.metrics;
        this.closeGrace = b.closeGrace;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "autodeploy-slack");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void notify(Notice notice) {
        Optional<String> url = notice.webhookUrl().or(() -> defaultUrl);
        if (url.isEmpty()) {
            return;
        }
        Messages.Part part = Messages.part(notice, githubWebUrl);
        String repository = notice.repository().fullName();
        synchronized (this) {
            if (closed) {
                return;
            }
            Batch newest = newestFor(url.get());
            if (newest != null && newest.takes(url.get(), repository, part)) {
                newest.add(part);
                return;
            }
            if (queue.size() >= capacity) {
                int lost = queue.pollFirst().parts.size();
                long before = dropped.getAndAdd(lost);
                metrics.slackMessages("dropped", lost);
                if (before == 0 || before / 100 != (before + lost) / 100) {
                    LOG.warn("Slack messages are arriving faster than they can be sent; {} notices dropped so far", before + lost);
                }
            }
            queue.addLast(new Batch(url.get(), repository, List.of(part), 1, 0));
            kick();
        }
    }

    /** Notices in messages Slack accepted. */
    public long delivered() {
        return delivered.get();
    }

    /** Messages Slack accepted; fewer than {@link #delivered()} when notices shared a message. */
    public long messages() {
        return messages.get();
    }

    /** Notices dropped because the queue was full or the close grace ran out. */
    public long dropped() {
        return dropped.get();
    }

    /** Messages waiting to be sent, retries included; not the one being sent. */
    synchronized int queued() {
        return queue.size();
    }

    /** Notices given up on (an error code, or retries used up). */
    public long failed() {
        return failed.get();
    }

    /** Sends what is queued for up to the close grace ({@link Builder#closeGrace}), then stops. */
    @Override
    public void close() {
        close(closeGrace);
    }

    /**
     * Takes no new notices once done, lets queued messages go out, at the rate limit, for up to {@code
     * grace} on the time source, then drops (and counts) what is left and stops the delivery thread.
     */
    public void close(Duration grace) {
        long deadline = time.nanoTime() + grace.toNanos();
        // Also bounded by twice the number of 50 ms waits the grace holds (a send wakes it early too), so that a time
        // source standing still (in a test) cannot hold close() for ever.
        long maxWaits = grace.toMillis() / 25 + 100;
        int left;
        synchronized (this) {
            for (long waits = 0; (!queue.isEmpty() || sending) && time.nanoTime() - deadline < 0 && waits < maxWaits; waits++) {
                try {
                    wait(Math.max(1, Math.min(50, (deadline - time.nanoTime()) / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            closed = true;
            left = queue.stream().mapToInt(b -> b.parts.size()).sum();
            queue.clear();
            if (wake != null) {
                wake.cancel(false);
            }
        }
        if (left > 0) {
            dropped.addAndGet(left);
            metrics.slackMessages("dropped", left);
            LOG.warn("closing with {} Slack notices not sent within {}s", left, grace.toSeconds());
        }
        worker.shutdownNow();
    }

    /** The newest queued message for {@code url}, or null. Caller holds the lock. */
    private Batch newestFor(String url) {
        for (Iterator<Batch> it = queue.descendingIterator(); it.hasNext(); ) {
            Batch b = it.next();
            if (b.url.equals(url)) {
                return b;
            }
        }
        return null;
    }

    /** Runs a delivery round soon, unless one is already waiting to run. Caller holds the lock. */
    private void kick() {
        if (roundQueued || closed) {
            return;
        }
        roundQueued = true;
        try {
            worker.execute(this::round);
        } catch (RejectedExecutionException e) {
            roundQueued = false;
        }
    }

    /** Sends every message that may go now, then schedules the next round for when one may. */
    private void round() {
        while (true) {
            Batch next;
            synchronized (this) {
                roundQueued = false;
                if (closed) {
                    return;
                }
                long now = time.nanoTime();
                next = pick(now);
                if (next == null) {
                    scheduleWake(now);
                    notifyAll();
                    return;
                }
                sending = true;
            }
            try {
                send(next);
            } finally {
                synchronized (this) {
                    sending = false;
                    notifyAll();
                }
            }
        }
    }

    /** The first message that may go now, keeping each webhook's order; null when none may. */
    private Batch pick(long now) {
        Set<String> blocked = new HashSet<>();
        for (Iterator<Batch> it = queue.iterator(); it.hasNext(); ) {
            Batch b = it.next();
            if (blocked.contains(b.url)) {
                continue;
            }
            if (b.notBefore - now > 0 || bucket(b.url).take() > 0) {
                blocked.add(b.url);
                continue;
            }
            it.remove();
            return b;
        }
        return null;
    }

    /** Schedules a round for when the soonest waiting message may go. Caller holds the lock. */
    private void scheduleWake(long now) {
        if (queue.isEmpty()) {
            return;
        }
        long soonest = Long.MAX_VALUE;
        for (Batch b : queue) {
            long wait = Math.max(b.notBefore - now, bucket(b.url).waitNanos());
            soonest = Math.min(soonest, Math.max(1_000_000, wait));
        }
        if (wake != null) {
            wake.cancel(false);
        }
        try {
            wake = time.schedule(worker, Duration.ofNanos(soonest), this::round);
        } catch (RejectedExecutionException e) {
            LOG.debug("Slack notifier closed; not scheduling a delivery round");
        }
    }

    private TokenBucket bucket(String url) {
        return buckets.computeIfAbsent(url, u -> new TokenBucket(perSecond, burst, time::nanoTime));
    }

    private void send(Batch b) {
        String body = Messages.message(b.parts).toString();
        Request request;
        try {
            request = new Request.Builder().url(b.url).post(RequestBody.create(body, JSON)).build();
        } catch (IllegalArgumentException e) {
            failed.addAndGet(b.parts.size());
            metrics.slackMessages("failed", b.parts.size());
            reportOnce(b.url, "not a URL");
            return;
        }
        try (Response response = http.newCall(request).execute()) {
            String answer = response.body().string().strip();
            int code = response.code();
            if (code == 200) {
                messages.incrementAndGet();
                delivered.addAndGet(b.parts.size());
                metrics.slackMessages("sent", b.parts.size());
            } else if (code == 429) {
                retry(b, Optional.of(Duration.ofSeconds(parseSeconds(response.header("Retry-After"), 1))), "rate limited (429)");
            } else if (code >= 500) {
                retry(b, Optional.empty(), "answered " + code);
            } else {
                failed.addAndGet(b.parts.size());
                metrics.slackMessages("failed", b.parts.size());
                reportOnce(b.url, answer.isEmpty() ? "http_" + code : answer);
            }
        } catch (IOException e) {
            retry(b, Optional.empty(), e.getClass().getSimpleName());
        }
    }

    private void retry(Batch b, Optional<Duration> asked, String why) {
        if (b.attempt >= attempts) {
            failed.addAndGet(b.parts.size());
            metrics.slackMessages("failed", b.parts.size());
            LOG.warn("Slack webhook {} {}; gave up on a message after {} attempts", mask(b.url), why, b.attempt);
            return;
        }
        synchronized (this) {
            if (closed) {
                // Sent as the grace ran out and cut off by the close: nothing will send it now.
                dropped.addAndGet(b.parts.size());
                metrics.slackMessages("dropped", b.parts.size());
                return;
            }
            Duration wait = retry.delay(b.attempt, asked);
            queue.addFirst(new Batch(b.url, b.repository, b.parts, b.attempt + 1, time.nanoTime() + wait.toNanos()));
        }
    }

    private void reportOnce(String url, String code) {
        if (!reported.add(url + " " + code)) {
            return;
        }
        String advice = advice(code);
        LOG.error("Slack refused messages to webhook {}: {} ({}); not retrying. Fix slack.webhook_url", mask(url), code, advice);
    }

    /** What to do about one of Slack's error codes. */
    private static String advice(String code) {
        return switch (code) {
            case "invalid_payload" -> "the message was not valid; this is a bug in Autodeploy";
            case "channel_not_found" -> "the channel was deleted or the webhook's app was removed from it";
            case "channel_is_archived" -> "the channel is archived; unarchive it or use another webhook";
            case "action_prohibited" -> "a workspace admin restricted posting to this channel";
            case "no_service", "no_service_id", "no_team" -> "the webhook was revoked; create a new one";
            case "invalid_token" -> "the webhook's token is no longer valid; create a new webhook";
            default -> "check the webhook in Slack";
        };
    }

    /** Shows where a webhook points without the part that lets anyone post to it. */
    static String mask(String url) {
        int hostEnd = url.indexOf('/', url.indexOf("//") + 2);
        return hostEnd < 0 ? "***" : url.substring(0, hostEnd) + "/***";
    }

    private static long parseSeconds(String header, long fallback) {
        try {
            return header == null ? fallback : Math.max(0, Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Configures a notifier; not thread-safe. */
    public static final class Builder {
        private String webhookUrl;
        private String githubWebUrl = "https://github.com";
        private OkHttpClient okHttp;
        private int capacity = 1000;
        private double perSecond = 1;
        private int burst = 3;
        private int attempts = 4;
        private RetryPolicy retry = RetryPolicy.of(Duration.ofSeconds(2), Duration.ofMinutes(1));
        private TimeSource time = TimeSource.system();
        private RobotMetrics metrics = RobotMetrics.none();
        private Duration timeout = Duration.ofSeconds(10);
        private Duration closeGrace = Duration.ofSeconds(5);

        private Builder() {
        }

        /** The default incoming webhook; notices that carry their own (per repository) use theirs. */
        public Builder webhookUrl(String url) { this.webhookUrl = url; return this; }

        /** Where links to repositories and commits point: {@code https://github.com} or your GitHub Enterprise host. */
        public Builder githubWebUrl(String url) { this.githubWebUrl = url; return this; }

        public Builder okHttpClient(OkHttpClient client) { this.okHttp = client; return this; }

        /** Messages waiting at most; the oldest is dropped past it. Default 1000. */
        public Builder queueCapacity(int capacity) { this.capacity = capacity; return this; }

        /** Messages per second per webhook after a burst; Slack allows about one. Default 1 and 3. */
        public Builder rate(double perSecond, int burst) { this.perSecond = perSecond; this.burst = burst; return this; }

        /**
         * Tries per message on 429, 5xx and connection failures, and the waits between them. Default 4,
         * from 2 seconds doubling up to a minute.
         */
        public Builder retries(int attempts, RetryPolicy policy) { this.attempts = attempts; this.retry = policy; return this; }

        /** Where the notifier reads the time for its rate and retries; default {@link TimeSource#system()}. */
        public Builder timeSource(TimeSource time) { this.time = time; return this; }

        /** Where notices sent, dropped and failed are counted ({@code autodeploy.slack.messages}); default none. */
        public Builder metrics(RobotMetrics metrics) { this.metrics = metrics; return this; }

        public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }

        /**
         * How long {@link #close()} lets queued messages go out, at the rate limit; give it the engine's
         * {@code shutdown_grace}, so that the last notices of a shutdown are sent. Default 5 seconds.
         */
        public Builder closeGrace(Duration grace) { this.closeGrace = grace; return this; }

        public SlackNotifier build() {
            if (capacity < 1 || perSecond <= 0 || burst < 1 || attempts < 1 || retry == null || time == null) {
                throw new IllegalStateException("Slack notifier needs a queue of at least 1, a positive rate, a burst and an attempt of at least 1");
            }
            if (closeGrace == null || closeGrace.isNegative()) {
                throw new IllegalStateException("Slack notifier's close grace must be zero or more, not " + closeGrace);
            }
            return new SlackNotifier(this);
        }
    }
}
