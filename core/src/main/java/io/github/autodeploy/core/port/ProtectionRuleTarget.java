package io.github.autodeploy.core.port;

import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.InvalidValueException;
import io.github.autodeploy.core.model.RepositoryName;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The workflow job a custom deployment protection rule is asked about: the run of a repository that waits
 * to deploy to an environment, and the App installation whose token may answer for it. Built from a
 * {@code WebhookEvent.ProtectionRuleRequested} (its {@code repo}, {@code runId}, {@code environment} and
 * {@code installationId}). One target is one GitHub deployment: the report limit counts per target.
 *
 * @param installationId absent when the event named no installation; the API then answers
 *                       {@link ProtectionRuleResult.NotConfigured} and sends nothing
 */
public record ProtectionRuleTarget(RepositoryName repository, long runId, EnvironmentName environment,
                                   OptionalLong installationId) {
    public ProtectionRuleTarget {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(installationId, "installationId");
        if (runId <= 0) {
            throw new InvalidValueException("workflow run id " + runId + " is not positive");
        }
        if (installationId.isPresent() && installationId.getAsLong() <= 0) {
            throw new InvalidValueException("installation id " + installationId.getAsLong() + " is not positive");
        }
    }

    @Override
    public String toString() {
        return repository + " run " + runId + " (" + environment + ")";
    }
}
