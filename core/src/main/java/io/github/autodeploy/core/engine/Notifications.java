package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.model.NotificationKind;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.Requester;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.port.Notifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notices the rule asks for, masked, and shields the engine from the notifier: whatever it
 * throws is logged and forgotten. Thread-safe.
 */
final class Notifications {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private final Notifier notifier;
    private final Secrets secrets;

    Notifications(Notifier notifier, Secrets secrets) {
        this.notifier = notifier;
        this.secrets = secrets;
    }

    void send(EnvironmentRule rule, NotificationKind kind, CommitSha sha, String ref, Optional<DeploymentId> id,
              Requester requester, String description, Optional<String> logUrl, Optional<Duration> duration,
              List<String> contexts) {
        if (!rule.notifyOn().contains(kind)) {
            return;
        }
        try {
            notifier.notify(new Notice(kind, rule.repository(), rule.environment(), sha, ref, id, requester,
                    secrets.redact(description), logUrl, duration, contexts, rule.slackWebhookUrl()));
        } catch (RuntimeException e) {
            LOG.warn("notifier failed for {} of {} {}: {}", kind.configWord(), rule.repository(), rule.environment(),
                    secrets.redact(String.valueOf(e.getMessage())));
        }
    }
}
