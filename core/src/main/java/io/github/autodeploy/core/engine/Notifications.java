package io.github.autodeploy.core.engine;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.Notice;
import io.github.autodeploy.core.port.Notifier;
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

    /**
     * Sends {@code notice} when {@code rule} asks for its kind, masked, to the rule's own Slack webhook
     * when it has one.
     */
    void send(EnvironmentRule rule, Notice notice) {
        if (!rule.notifyOn().contains(notice.kind())) {
            return;
        }
        try {
            notifier.notify(notice.withDescription(secrets.redact(notice.description()))
                    .withWebhookUrl(rule.slackWebhookUrl()));
        } catch (RuntimeException e) {
            LOG.warn("notifier failed for {} of {} {}: {}", notice.kind().configWord(), rule.repository(),
                    rule.environment(), secrets.redact(String.valueOf(e.getMessage())));
        }
    }
}
