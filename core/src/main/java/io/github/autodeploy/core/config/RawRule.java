package io.github.autodeploy.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The keys of a repository entry (or of one of its environments) as written, before resolution.
 * Absent keys inherit from the repository entry (options key by key), then take the defaults that
 * {@link RawConfig#resolve(java.util.List)} applies. Immutable.
 *
 * @param folder            {@code folder}: where commands (or the playbook) run
 * @param commands          {@code commands}: each an argv list; placeholders such as {@code ${sha}}
 * @param requiredContexts  {@code required_contexts}: absent means every context, {@code []} none
 * @param options           every other key, as written, for the {@link ExecutionKind} that claims it
 *                          (a {@code String} for a single value, a {@code List} or {@code Map} otherwise)
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
 * @param commandNames      each command as written, before a loader put in values from the environment;
 *                          empty: each named by its argv
 * @param windows           {@code windows}: auto-deploys start only inside one of these; absent or
 *                          {@code []}: at any time
 * @param freeze            {@code freeze}: ranges in which no auto-deploy starts, even inside a window
 * @param rollbackRequiredContexts {@code rollback_required_contexts}: what a rollback or redeploy waits for (default none)
 * @param lockOnRollback    {@code lock_on_rollback}: lock the environment after a rollback (default false)
 * @param protection        {@code protect} and {@code protection_rules}: gate GitHub Actions deployments
 */
public record RawRule(
        Optional<String> folder,
        Optional<List<List<String>>> commands,
        Optional<List<String>> requiredContexts,
        Map<String, Object> options,
        Optional<List<String>> on,
        Optional<String> branch,
        Optional<String> stepTimeout,
        Optional<String> ciTimeout,
        Optional<String> ciPollInterval,
        Optional<Boolean> neutralPasses,
        Optional<Boolean> supersede,
        Optional<Boolean> rerunInterrupted,
        Optional<List<String>> notifyOn,
        Optional<String> slackWebhookUrl,
        List<String> commandNames,
        Optional<List<RawWindow>> windows,
        Optional<List<RawFreeze>> freeze,
        Optional<List<String>> rollbackRequiredContexts,
        Optional<Boolean> lockOnRollback,
        Optional<RawProtection> protection) {

    public RawRule {
        Objects.requireNonNull(folder, "folder");
        commands = Objects.requireNonNull(commands, "commands").map(cs -> cs.stream().map(List::copyOf).toList());
        requiredContexts = Objects.requireNonNull(requiredContexts, "requiredContexts").map(List::copyOf);
        options = Map.copyOf(options);
        for (String key : options.keySet()) {
            if (KEYS.contains(key)) {
                throw new IllegalArgumentException("\"" + key + "\" is a key core reads itself, not an option");
            }
        }
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
        commandNames = List.copyOf(commandNames);
        if (!commandNames.isEmpty() && commandNames.size() != commands.map(List::size).orElse(0)) {
            throw new IllegalArgumentException("give one name per command, or none");
        }
        windows = Objects.requireNonNull(windows, "windows").map(List::copyOf);
        rollbackRequiredContexts = Objects.requireNonNull(rollbackRequiredContexts, "rollbackRequiredContexts").map(List::copyOf);
        Objects.requireNonNull(lockOnRollback, "lockOnRollback");
        Objects.requireNonNull(protection, "protection");
        freeze = Objects.requireNonNull(freeze, "freeze").map(List::copyOf);
    }

    /** A rule without windows or freezes (the keys before deploy windows existed). */
    public RawRule(Optional<String> folder, Optional<List<List<String>>> commands, Optional<List<String>> requiredContexts,
                   Map<String, Object> options, Optional<List<String>> on, Optional<String> branch,
                   Optional<String> stepTimeout, Optional<String> ciTimeout, Optional<String> ciPollInterval,
                   Optional<Boolean> neutralPasses, Optional<Boolean> supersede, Optional<Boolean> rerunInterrupted,
                   Optional<List<String>> notifyOn, Optional<String> slackWebhookUrl, List<String> commandNames) {
        this(folder, commands, requiredContexts, options, on, branch, stepTimeout, ciTimeout, ciPollInterval,
                neutralPasses, supersede, rerunInterrupted, notifyOn, slackWebhookUrl, commandNames, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The keys of a rule that core reads itself; any other key is an option for an execution kind. */
    public static final Set<String> KEYS = Set.of("folder", "commands", "required_contexts", "on", "branch",
            "step_timeout", "ci_timeout", "ci_poll_interval", "neutral_passes", "supersede", "rerun_interrupted",
            "notify", "slack_webhook_url", "windows", "freeze",
            "rollback_required_contexts", "lock_on_rollback", "protect", "protection_rules");

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder for a rule as written; not thread-safe. */
    public static final class Builder {
        private String folder;
        private List<List<String>> commands;
        private List<String> requiredContexts;
        private final Map<String, Object> options = new LinkedHashMap<>();
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
        private List<String> commandNames = List.of();
        private List<RawWindow> windows;
        private List<String> rollbackRequiredContexts;
        private Boolean lockOnRollback;
        private List<RawFreeze> freeze;
        private RawProtection protection;

        private Builder() {
        }

        public Builder folder(String v) { folder = v; return this; }

        public Builder commands(List<List<String>> v) { commands = v; commandNames = List.of(); return this; }

        /** The commands, each with its name as written (before values from the environment were put in). */
        public Builder commands(List<List<String>> v, List<String> names) { commands = v; commandNames = names; return this; }

        @SafeVarargs
        public final Builder commands(List<String>... v) { commands = List.of(v); commandNames = List.of(); return this; }

        public Builder requiredContexts(List<String> v) { requiredContexts = v; return this; }

        /** Sets a key that core does not read, for the execution kind that claims it. */
        public Builder option(String key, Object value) { options.put(key, value); return this; }

        public Builder options(Map<String, ?> v) { options.putAll(v); return this; }

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

        public Builder windows(List<RawWindow> v) { windows = v; return this; }

        public Builder freeze(List<RawFreeze> v) { freeze = v; return this; }

        public Builder rollbackRequiredContexts(List<String> v) { rollbackRequiredContexts = v; return this; }

        public Builder lockOnRollback(Boolean v) { lockOnRollback = v; return this; }

        public Builder protection(RawProtection v) { protection = v; return this; }

        public RawRule build() {
            return new RawRule(Optional.ofNullable(folder), Optional.ofNullable(commands),
                    Optional.ofNullable(requiredContexts), options, Optional.ofNullable(on),
                    Optional.ofNullable(branch), Optional.ofNullable(stepTimeout), Optional.ofNullable(ciTimeout),
                    Optional.ofNullable(ciPollInterval), Optional.ofNullable(neutralPasses),
                    Optional.ofNullable(supersede), Optional.ofNullable(rerunInterrupted),
                    Optional.ofNullable(notifyOn), Optional.ofNullable(slackWebhookUrl),
                    commands == null ? List.of() : commandNames, Optional.ofNullable(windows),
                    Optional.ofNullable(freeze), Optional.ofNullable(rollbackRequiredContexts),
                    Optional.ofNullable(lockOnRollback), Optional.ofNullable(protection));
        }
    }

    /** This rule's keys, each falling back to {@code parent}'s where absent here. */
    RawRule inheritFrom(RawRule parent) {
        Map<String, Object> merged = new LinkedHashMap<>(parent.options);
        merged.putAll(options);
        return new RawRule(folder.or(parent::folder), commands.or(parent::commands),
                requiredContexts.or(parent::requiredContexts), merged, on.or(parent::on), branch.or(parent::branch),
                stepTimeout.or(parent::stepTimeout), ciTimeout.or(parent::ciTimeout),
                ciPollInterval.or(parent::ciPollInterval), neutralPasses.or(parent::neutralPasses),
                supersede.or(parent::supersede), rerunInterrupted.or(parent::rerunInterrupted),
                notifyOn.or(parent::notifyOn), slackWebhookUrl.or(parent::slackWebhookUrl),
                commands.isPresent() ? commandNames : parent.commandNames, windows.or(parent::windows),
                freeze.or(parent::freeze), rollbackRequiredContexts.or(parent::rollbackRequiredContexts),
                lockOnRollback.or(parent::lockOnRollback),
                protection.map(p -> parent.protection.map(p::inheritFrom).orElse(p)).or(parent::protection));
    }
}
