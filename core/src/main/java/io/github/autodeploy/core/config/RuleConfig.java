package io.github.autodeploy.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys of a repository entry (or of one of its environments) as written. Absent keys inherit
 * from the repository entry, then take the defaults that {@link AutodeployConfig#resolve()} applies.
 *
 * @param folder            {@code folder}: where commands (or the playbook) run
 * @param commands          {@code commands}: each an argv list; placeholders such as {@code ${sha}}
 * @param requiredContexts  {@code required_contexts}: absent means every context, {@code []} none
 * @param ansibleHosts      {@code ansible_hosts}: the inventory
 * @param ansiblePlaybook   {@code ansible_playbook}
 * @param ansibleOptions    the other {@code ansible_*} keys, for the ansible adapter
 * @param on                {@code on}: {@code merge} and/or {@code push}; {@code []} only runs
 *                          deployments made elsewhere (default {@code [merge]})
 * @param branch            {@code branch}: the branch merges into or pushes to deploy (default: the
 *                          repository's default branch)
 * @param stepTimeout       {@code step_timeout}: per command (default 30m)
 * @param ciTimeout         {@code ci_timeout}: how long to wait for CI (default 60m)
 * @param ciPollInterval    {@code ci_poll_interval}: how often to ask GitHub while waiting (default 60s)
 * @param neutralPasses     {@code neutral_passes}: a neutral or skipped check counts as passed (default false)
 * @param supersede         {@code supersede}: a newer deployment replaces a queued older one (default true)
 * @param rerunInterrupted  {@code rerun_interrupted}: re-run what a restart interrupted (default false: error)
 * @param notifyOn            {@code notify}: which events to announce
 * @param slackWebhookUrl   {@code slack_webhook_url}: this repository's Slack webhook
 */
public record RuleConfig(
        Optional<String> folder,
        Optional<List<List<String>>> commands,
        Optional<List<String>> requiredContexts,
        Optional<String> ansibleHosts,
        Optional<String> ansiblePlaybook,
        Map<String, String> ansibleOptions,
        Optional<List<String>> on,
        Optional<String> branch,
        Optional<String> stepTimeout,
        Optional<String> ciTimeout,
        Optional<String> ciPollInterval,
        Optional<Boolean> neutralPasses,
        Optional<Boolean> supersede,
        Optional<Boolean> rerunInterrupted,
        Optional<List<String>> notifyOn,
        Optional<String> slackWebhookUrl) {

    public RuleConfig {
        Objects.requireNonNull(folder, "folder");
        commands = Objects.requireNonNull(commands, "commands").map(cs -> cs.stream().map(List::copyOf).toList());
        requiredContexts = Objects.requireNonNull(requiredContexts, "requiredContexts").map(List::copyOf);
        Objects.requireNonNull(ansibleHosts, "ansibleHosts");
        Objects.requireNonNull(ansiblePlaybook, "ansiblePlaybook");
        ansibleOptions = Map.copyOf(ansibleOptions);
        on = Objects.requireNonNull(on, "on").map(List::copyOf);
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(stepTimeout, "stepTimeout");
        Objects.requireNonNull(ciTimeout, "ciTimeout");
        Objects.requireNonNull(ciPollInterval, "ciPollInterval");
        Objects.requireNonNull(neutralPasses, "neutralPasses");
        Objects.requireNonNull(supersede, "supersede");
        Objects.requireNonNull(rerunInterrupted, "rerunInterrupted");
        notifyOn = Objects.requireNonNull(notifyOn, "notifyOn").map(List::copyOf);
        Objects.requireNonNull(slackWebhookUrl, "slackWebhookUrl");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder for a rule as written; not thread-safe. */
    public static final class Builder {
        private String folder;
        private List<List<String>> commands;
        private List<String> requiredContexts;
        private String ansibleHosts;
        private String ansiblePlaybook;
        private Map<String, String> ansibleOptions = Map.of();
        private List<String> on;
        private String branch;
        private String stepTimeout;
        private String ciTimeout;
        private String ciPollInterval;
        private Boolean neutralPasses;
        private Boolean supersede;
        private Boolean rerunInterrupted;
        private List<String> notifyOn;
        private String slackWebhookUrl;

        private Builder() {
        }

        public Builder folder(String v) { folder = v; return this; }

        public Builder commands(List<List<String>> v) { commands = v; return this; }

        @SafeVarargs
        public final Builder commands(List<String>... v) { commands = List.of(v); return this; }

        public Builder requiredContexts(List<String> v) { requiredContexts = v; return this; }

        public Builder ansibleHosts(String v) { ansibleHosts = v; return this; }

        public Builder ansiblePlaybook(String v) { ansiblePlaybook = v; return this; }

        public Builder ansibleOptions(Map<String, String> v) { ansibleOptions = v; return this; }

        public Builder on(List<String> v) { on = v; return this; }

        public Builder branch(String v) { branch = v; return this; }

        public Builder stepTimeout(String v) { stepTimeout = v; return this; }

        public Builder ciTimeout(String v) { ciTimeout = v; return this; }

        public Builder ciPollInterval(String v) { ciPollInterval = v; return this; }

        public Builder neutralPasses(Boolean v) { neutralPasses = v; return this; }

        public Builder supersede(Boolean v) { supersede = v; return this; }

        public Builder rerunInterrupted(Boolean v) { rerunInterrupted = v; return this; }

        public Builder notifyOn(List<String> v) { notifyOn = v; return this; }

        public Builder slackWebhookUrl(String v) { slackWebhookUrl = v; return this; }

        public RuleConfig build() {
            return new RuleConfig(Optional.ofNullable(folder), Optional.ofNullable(commands),
                    Optional.ofNullable(requiredContexts), Optional.ofNullable(ansibleHosts),
                    Optional.ofNullable(ansiblePlaybook), ansibleOptions, Optional.ofNullable(on),
                    Optional.ofNullable(branch), Optional.ofNullable(stepTimeout), Optional.ofNullable(ciTimeout),
                    Optional.ofNullable(ciPollInterval), Optional.ofNullable(neutralPasses),
                    Optional.ofNullable(supersede), Optional.ofNullable(rerunInterrupted),
                    Optional.ofNullable(notifyOn), Optional.ofNullable(slackWebhookUrl));
        }
    }

    /** This rule's keys, each falling back to {@code parent}'s where absent here. */
    RuleConfig inheritFrom(RuleConfig parent) {
        Map<String, String> options = ansibleOptions.isEmpty() ? parent.ansibleOptions : ansibleOptions;
        return new RuleConfig(folder.or(parent::folder), commands.or(parent::commands),
                requiredContexts.or(parent::requiredContexts), ansibleHosts.or(parent::ansibleHosts),
                ansiblePlaybook.or(parent::ansiblePlaybook), options, on.or(parent::on), branch.or(parent::branch),
                stepTimeout.or(parent::stepTimeout), ciTimeout.or(parent::ciTimeout),
                ciPollInterval.or(parent::ciPollInterval), neutralPasses.or(parent::neutralPasses),
                supersede.or(parent::supersede), rerunInterrupted.or(parent::rerunInterrupted),
                notifyOn.or(parent::notifyOn), slackWebhookUrl.or(parent::slackWebhookUrl));
    }
}
