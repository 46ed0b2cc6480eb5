package io.github.autodeploy.core.config;

import io.github.autodeploy.core.model.NotificationKind;

import io.github.autodeploy.core.control.DeploySchedule;
import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How one repository deploys to one environment, with every default applied. Immutable.
 *
 * @param folder   where steps run; absent means the robot's working directory
 * @param schedule when auto-deploys may start ({@code windows:} and {@code freeze:}); {@link
 *                 DeploySchedule#always()} when neither is configured
 * @param rollbackRequiredContexts what GitHub checks before it creates a rollback or redeploy the robot
 *                 asks for ({@code rollback_required_contexts}; default none: the commit deployed before)
 * @param lockOnRollback lock the environment after a rollback ({@code lock_on_rollback})
 * @param protection how GitHub Actions deployments to it are gated ({@code protect}, {@code
 *                 protection_rules}); empty: the robot is no protection rule here and approves nothing
 */
public record EnvironmentRule(
        RepositoryName repository,
        EnvironmentName environment,
        Optional<String> folder,
        Execution execution,
        RequiredContexts requiredContexts,
        List<Trigger> triggers,
        Duration stepTimeout,
        Duration ciTimeout,
        Duration ciPollInterval,
        boolean neutralPasses,
        boolean supersede,
        boolean rerunInterrupted,
        Set<NotificationKind> notifyOn,
        Optional<String> slackWebhookUrl,
        DeploySchedule schedule,
        RequiredContexts rollbackRequiredContexts,
        boolean lockOnRollback,
        Optional<Protection> protection) {

    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_CI_TIMEOUT = Duration.ofMinutes(60);
    public static final Duration DEFAULT_CI_POLL_INTERVAL = Duration.ofSeconds(60);

    public EnvironmentRule {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(requiredContexts, "requiredContexts");
        triggers = List.copyOf(triggers);
        Objects.requireNonNull(stepTimeout, "stepTimeout");
        Objects.requireNonNull(ciTimeout, "ciTimeout");
        Objects.requireNonNull(ciPollInterval, "ciPollInterval");
        notifyOn = Set.copyOf(notifyOn);
        Objects.requireNonNull(slackWebhookUrl, "slackWebhookUrl");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(rollbackRequiredContexts, "rollbackRequiredContexts");
        Objects.requireNonNull(protection, "protection");
    }

    /** A rule with rollbacks as by default: no contexts checked, no lock after. */
    public EnvironmentRule(RepositoryName repository, EnvironmentName environment, Optional<String> folder,
                           Execution execution, RequiredContexts requiredContexts, List<Trigger> triggers,
                           Duration stepTimeout, Duration ciTimeout, Duration ciPollInterval, boolean neutralPasses,
                           boolean supersede, boolean rerunInterrupted, Set<NotificationKind> notifyOn,
                           Optional<String> slackWebhookUrl, DeploySchedule schedule) {
        this(repository, environment, folder, execution, requiredContexts, triggers, stepTimeout, ciTimeout,
                ciPollInterval, neutralPasses, supersede, rerunInterrupted, notifyOn, slackWebhookUrl, schedule,
                RequiredContexts.none(), false, Optional.empty());
    }

    /** A rule whose auto-deploys may start at any time. */
    public EnvironmentRule(RepositoryName repository, EnvironmentName environment, Optional<String> folder,
                           Execution execution, RequiredContexts requiredContexts, List<Trigger> triggers,
                           Duration stepTimeout, Duration ciTimeout, Duration ciPollInterval, boolean neutralPasses,
                           boolean supersede, boolean rerunInterrupted, Set<NotificationKind> notifyOn,
                           Optional<String> slackWebhookUrl) {
        this(repository, environment, folder, execution, requiredContexts, triggers, stepTimeout, ciTimeout,
                ciPollInterval, neutralPasses, supersede, rerunInterrupted, notifyOn, slackWebhookUrl,
                DeploySchedule.always());
    }

    /** This rule with {@code schedule} in place of its own. */
    public EnvironmentRule withSchedule(DeploySchedule schedule) {
        return new EnvironmentRule(repository, environment, folder, execution, requiredContexts, triggers, stepTimeout,
                ciTimeout, ciPollInterval, neutralPasses, supersede, rerunInterrupted, notifyOn, slackWebhookUrl, schedule,
                rollbackRequiredContexts, lockOnRollback, protection);
    }

    /** This rule with other rollback settings. */
    public EnvironmentRule withRollback(RequiredContexts contexts, boolean lockAfter) {
        return new EnvironmentRule(repository, environment, folder, execution, requiredContexts, triggers, stepTimeout,
                ciTimeout, ciPollInterval, neutralPasses, supersede, rerunInterrupted, notifyOn, slackWebhookUrl, schedule,
                contexts, lockAfter, protection);
    }

    /** This rule gating GitHub Actions deployments with {@code gate} (or, empty, not at all). */
    public EnvironmentRule withProtection(Optional<Protection> gate) {
        return new EnvironmentRule(repository, environment, folder, execution, requiredContexts, triggers, stepTimeout,
                ciTimeout, ciPollInterval, neutralPasses, supersede, rerunInterrupted, notifyOn, slackWebhookUrl, schedule,
                rollbackRequiredContexts, lockOnRollback, gate);
    }

    /** A rule with the seed tool's meaning: commands in a folder, deployed on merge into the default branch. */
    public static EnvironmentRule commands(RepositoryName repository, EnvironmentName environment, String folder,
                                           List<List<String>> commands, RequiredContexts requiredContexts) {
        return new EnvironmentRule(repository, environment, Optional.of(folder), new Execution.Commands(commands),
                requiredContexts, List.of(new Trigger(Trigger.Kind.MERGE, Optional.empty())), DEFAULT_STEP_TIMEOUT,
                DEFAULT_CI_TIMEOUT, DEFAULT_CI_POLL_INTERVAL, false, true, false, NotificationKind.DEFAULTS,
                Optional.empty());
    }

    /** Whether {@code kind} into {@code branch} should create a deployment under this rule. */
    public boolean triggeredBy(Trigger.Kind kind, String branch, String defaultBranch) {
        return triggers.stream().anyMatch(t -> t.kind() == kind && t.matchesBranch(branch, defaultBranch));
    }
}
