package io.github.autodeploy.slack;

import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.time.RetryPolicy;
import io.github.autodeploy.core.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * (logging it once) on Slack's error codes such as {@code channel_not_found}. The queue is bounded:
 * when full, the oldest message is dropped and counted. Webhook URLs are secrets and are never
 * logged in full. Thread-safe; {@link #close()} stops the thread.
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
    private final Deque<Pending> queue = new ArrayDeque<>();
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread worker;
    private boolean closed;
    private int sending;

    private record Pending(String url, String body, int attempt, long notBefore) {
    }

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
        this.worker = new Thread(this::deliver, "autodeploy-slack");
        worker.setDaemon(true);
        worker.start();
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
        String body = Messages.render(notice, githubWebUrl).toString();
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.size() >= capacity) {
                queue.pollFirst();
                if (dropped.incrementAndGet() % 100 == 1) {
                    LOG.warn("Slack messages are arriving faster than they can be sent; {} dropped so far", dropped.get());
                }
            }
            queue.addLast(new Pending(url.get(), body, 1, 0));
            notifyAll();
        }
    }

    /** Messages Slack accepted. */
    public long delivered() {
        return delivered.get();
    }

    /** Messages dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Messages waiting to be sent, retries included; not the one being sent. */
    synchronized int queued() {
        return queue.size();
    }

    /** Messages given up on (an error code, or retries used up). */
    public long failed() {
        return failed.get();
    }

    /**
     * Lets queued messages go out for up to five seconds, then stops the delivery thread. The five
     * seconds are read on the time source, and also bounded by a hundred 50 ms waits, so that a time
     * source that stands still (in a test) cannot hold close() for ever.
     */
    @Override
    public void close() {
        long deadline = time.nanoTime() + Duration.ofSeconds(5).toNanos();
        synchronized (this) {
            for (int waits = 0; (!queue.isEmpty() || sending > 0) && time.nanoTime() < deadline && waits < 100; waits++) {
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            closed = true;
            notifyAll();
        }
        worker.interrupt();
    }

    private void deliver() {
        while (true) {
            Pending next;
            synchronized (this) {
                next = pick();
                while (next == null) {
                    if (closed) {
                        return;
                    }
                    try {
                        wait(Math.max(1, nextWakeMillis()));
                    } catch (InterruptedException e) {
                        if (closed) {
                            return;
                        }
                    }
                    next = pick();
                }
                sending++;
            }
            try {
                send(next);
            } finally {
                synchronized (this) {
                    sending--;
                    notifyAll();
                }
            }
        }
    }

    /** The first message that may go now, keeping each webhook's order; null when none may. */
    private Pending pick() {
        long now = time.nanoTime();
        Set<String> blocked = new HashSet<>();
        for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (blocked.contains(p.url())) {
                continue;
            }
            if (p.notBefore() > now || bucket(p.url()).take() > 0) {
                blocked.add(p.url());
                continue;
            }
            it.remove();
            return p;
        }
        return null;
    }

    private long nextWakeMillis() {
        long now = time.nanoTime();
        long soonest = 1000;
        for (Pending p : queue) {
            soonest = Math.min(soonest, Math.max(1, (p.notBefore() - now) / 1_000_000));
        }
        return Math.min(soonest, (long) Math.ceil(1000 / perSecond));
    }

    private TokenBucket bucket(String url) {
        return buckets.computeIfAbsent(url, u -> new TokenBucket(perSecond, burst, time::nanoTime));
    }

    private void send(Pending p) {
        Request request = new Request.Builder().url(p.url()).post(RequestBody.create(p.body(), JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string().strip();
            int code = response.code();
            if (code == 200) {
                delivered.incrementAndGet();
            } else if (code == 429) {
                retry(p, Optional.of(Duration.ofSeconds(parseSeconds(response.header("Retry-After"), 1))), "rate limited (429)");
            } else if (code >= 500) {
                retry(p, Optional.empty(), "answered " + code);
            } else {
                failed.incrementAndGet();
                reportOnce(p.url(), body.isEmpty() ? "http_" + code : body);
            }
        } catch (IOException e) {
            retry(p, Optional.empty(), e.getClass().getSimpleName());
        } catch (IllegalArgumentException e) {
            failed.incrementAndGet();
            reportOnce(p.url(), "not a URL");
        }
    }

    private void retry(Pending p, Optional<Duration> asked, String why) {
        if (p.attempt() >= attempts) {
            failed.incrementAndGet();
            LOG.warn("Slack webhook {} {}; gave up on a message after {} attempts", mask(p.url()), why, p.attempt());
            return;
        }
        synchronized (this) {
            Duration wait = retry.delay(p.attempt(), asked);
            queue.addFirst(new Pending(p.url(), p.body(), p.attempt() + 1, time.nanoTime() + wait.toNanos()));
            notifyAll();
        }
    }

    private void reportOnce(String url, String code) {
        if (!reported.add(url + " " + code)) {
            return;
        }
        String advice = switch (code) {
            case "invalid_payload" -> "the message was not valid; this is a bug in Autodeploy";
            case "channel_not_found" -> "the channel was deleted or the webhook's app was removed from it";
            case "channel_is_archived" -> "the channel is archived; unarchive it or use another webhook";
            case "action_prohibited" -> "a workspace admin restricted posting to this channel";
            case "no_service", "no_service_id", "no_team" -> "the webhook was revoked; create a new one";
            case "invalid_token" -> "the webhook's token is no longer valid; create a new webhook";
            default -> "check the webhook in Slack";
        };
        LOG.error("Slack refused messages to webhook {}: {} ({}); not retrying. Fix slack.webhook_url", mask(url), code, advice);
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
        private Duration timeout = Duration.ofSeconds(10);

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

        public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }

        public SlackNotifier build() {
            if (capacity < 1 || perSecond <= 0 || burst < 1 || attempts < 1 || retry == null || time == null) {
                throw new IllegalStateException("Slack notifier needs a queue of at least 1, a positive rate, a burst and an attempt of at least 1");
            }
            return new SlackNotifier(this);
        }
    }
}
