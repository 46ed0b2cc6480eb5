package io.github.autodeploy.testkit;

import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.port.Notifier;
import java.time.Duration;

class RecordingNotifierTest extends NotifierContract {
    private final RecordingNotifier notifier = new RecordingNotifier();

    @Override
    protected Notifier notifier() {
        return notifier;
    }

    @Override
    protected void awaitDelivered(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> notifier.notices().size() >= count);
    }
}
