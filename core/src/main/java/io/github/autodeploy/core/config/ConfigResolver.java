package io.github.autodeploy.core.config;

import io.github.autodeploy.core.model.NotificationKind;

import io.github.autodeploy.core.control.CronExpression;
import io.github.autodeploy.core.control.DeploySchedule;
import io.github.autodeploy.core.control.DeployWindow;
import io.github.autodeploy.core.control.Freeze;
import io.github.autodeploy.core.control.WeeklyStart;
import io.github.autodeploy.core.control.WindowStart;
import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.InvalidValueException;
import io.github.autodeploy.core.model.RepositoryName;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Walks a configuration once, collecting every problem and, if there is none, the resolved result.
 * Keys of a rule that core does not read go to the execution kind that claims them, which validates
 * them itself. Not thread-safe.
 */
final class ConfigResolver {
    private static final Set<String> REPO_KEYS = union(RawRule.KEYS, Set.of("environments"));
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<ExecutionKind> kinds;
    private final List<String> environmentValues;
    /** {@code github.token}, blank as absent: a gated rule that checks CI reads it with this token. */
    private final Optional<String> githubToken;
    private final RobotConfig config;

    ConfigResolver(RawConfig raw, List<? extends ExecutionKind> kinds) {
        this.kinds = List.copyOf(kinds);
        this.environmentValues = raw.environmentValues();
        this.githubToken = raw.github().token().filter(t -> !t.isBlank());
        Set<String> names = new HashSet<>();
        for (ExecutionKind k : this.kinds) {
            if (k.kind().equals(Execution.Commands.KIND) || !names.add(k.kind())) {
                throw new IllegalArgumentException("execution kind \"" + k.kind() + "\" is given twice or is core's own; "
                        + "give each kind once, under its own name");
            }
        }
        String apiUrl = raw.github().apiUrl().map(u -> tokenUrl("github.api_url", url("github.api_url", u)))
                .orElse(RobotConfig.DEFAULT_GITHUB_API_URL);
        raw.github().token().filter(String::isBlank)
                .ifPresent(t -> problem("github.token", "is empty; set it to a token with the repo_deployment and repo:status scopes, or remove the key to keep statuses locally"));
        if (raw.github().webhookSecrets().isEmpty()) {
            problem("github.webhook_secret", "is missing; without it anyone could trigger deployments. Set the same secret as in the GitHub webhook settings");
        }
        for (int i = 0; i < raw.github().webhookSecrets().size(); i++) {
            if (raw.github().webhookSecrets().get(i).isBlank()) {
                problem("github.webhook_secret" + (raw.github().webhookSecrets().size() > 1 ? "[" + i + "]" : ""),
                        "is empty; set it to the secret of the GitHub webhook");
            }
        }
        raw.slackWebhookUrl().ifPresent(u -> {
            if (!u.startsWith("https://")) {
                problem("slack.webhook_url", "must be an https:// incoming-webhook URL from Slack");
            }
        });
        String publicUrl = raw.publicUrl().map(u -> url("public_url", u)).orElse(RobotConfig.DEFAULT_PUBLIC_URL);
        RobotConfig.Engine engine = engine(raw.engine());
        RobotConfig.Store store = store(raw.store());
        if (store.logBudgetBytes() < engine.logLimitBytes()) {
            problem("store.log_budget_bytes", "is " + store.logBudgetBytes() + ", less than one deployment's log "
                    + "(engine.log_limit_bytes, " + engine.logLimitBytes() + "); raise it or lower engine.log_limit_bytes");
        }

        List<EnvironmentRule> rules = new ArrayList<>();
        if (raw.repos().isEmpty()) {
            problem("repos", "no repository is configured; add one, for example repos: {octo/app: {folder: /srv/app, commands: [[make, deploy]]}}");
        }
        for (Map.Entry<String, RawRepo> e : new TreeMap<>(raw.repos()).entrySet()) {
            repo(e.getKey(), e.getValue(), rules);
        }
        Optional<GitHubApp> app = githubApp(raw.github());
        config = problems.isEmpty()
                ? new RobotConfig(apiUrl, raw.github().token(), raw.github().webhookSecrets(), raw.github().legacySha1(),
                        raw.slackWebhookUrl(), publicUrl, rules, engine, raw.environmentValues(), store, app)
                : null;
    }

    List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    RobotConfig config() {
        return config;
    }

    private void problem(String path, String message) {
        problems.add(new ConfigProblem(path, message));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private Optional<ExecutionKind> claimer(String key) {
        return kinds.stream().filter(k -> k.claims(key)).findFirst();
    }

    /** Reports, where they are written, the keys of {@code rule} that no kind claims. */
    private void unclaimedKeys(String path, RawRule rule, Set<String> known) {
        for (String key : new TreeSet<>(rule.options().keySet())) {
            if (claimer(key).isEmpty()) {
                problem(path + "." + key, UnknownKeys.message(key, known));
            }
        }
    }

    private String url(String path, String url) {
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            problem(path, "\"" + url + "\" is not an http:// or https:// URL");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The token goes to {@code url}: in clear only to this machine. */
    private String tokenUrl(String path, String url) {
        if (url.startsWith("http://") && !loopback(host(url.substring("http://".length())))) {
            problem(path, "is plain http:// to another machine, so the token would travel in clear; use https://"
                    + " (plain http is allowed only to localhost or 127.0.0.1 for a local test server)");
        }
        return url;
    }

    /** The host of a URL's authority (after any user part, without port or brackets). */
    static String host(String afterScheme) {
        int end = afterScheme.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = afterScheme.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = afterScheme.substring(0, end);
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? hostPort : hostPort.substring(1, close);
        }
        int colon = hostPort.indexOf(':');
        return (colon < 0 ? hostPort : hostPort.substring(0, colon)).toLowerCase(java.util.Locale.ROOT);
    }

    /** localhost or a loopback address literal; no name is looked up. */
    static boolean loopback(String host) {
        return host.equals("localhost") || host.equals("::1") || host.matches("127(\\.\\d{1,3}){3}");
    }

    private RobotConfig.Engine engine(RawEngine raw) {
        RobotConfig.Engine d = RobotConfig.Engine.defaults();
        int workers = positive("engine.workers", raw.workers(), d.workers());
        int capacity = positive("engine.queue_capacity", raw.queueCapacity(), d.queueCapacity());
        Duration grace = duration("engine.shutdown_grace", raw.shutdownGrace(), d.shutdownGrace());
        int history = positive("engine.history_limit", raw.historyLimit(), d.historyLimit());
        long logLimit = raw.logLimitBytes().orElse(d.logLimitBytes());
        if (logLimit < 1024) {
            problem("engine.log_limit_bytes", "is " + logLimit + "; keep at least 1024 bytes of log per deployment");
        }
        return new RobotConfig.Engine(workers, capacity, grace, history, logLimit);
    }

    private RobotConfig.Store store(RawStore raw) {
        RobotConfig.Store d = RobotConfig.Store.defaults();
        Optional<String> url = raw.url().map(String::strip);
        url.ifPresent(this::storeUrl);
        boolean database = url.filter(u -> u.startsWith(StoreUrls.POSTGRESQL)).isPresent();
        storeCredential("store.user", raw.user(), url, database);
        storeCredential("store.password", raw.password(), url, database);
        Duration retention = duration("store.retention", raw.retention(), d.retention());
        Duration dedupe = duration("store.dedupe_window", raw.dedupeWindow(), d.dedupeWindow());
        Duration lease = duration("store.lease_timeout", raw.leaseTimeout(), d.leaseTimeout());
        if (retention.compareTo(dedupe) < 0) {
            problem("store.retention", "is shorter than store.dedupe_window; deployments must be kept at least as long "
                    + "as deliveries are remembered, or a redelivery of a forgotten deployment would run it again");
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            problem("store.lease_timeout", "is " + lease.toMillis() + "ms; a node renews its lease well within it, "
                    + "so give it at least 1s (default 30s)");
        }
        long budget = raw.logBudgetBytes().orElse(d.logBudgetBytes());
        boolean syncEveryAccept = d.syncEveryAccept();
        if (raw.sync().isPresent()) {
            String sync = raw.sync().get().strip();
            if (sync.equals("normal")) {
                syncEveryAccept = false;
            } else if (!sync.equals("full")) {
                String yes = sync.equals("true") || sync.equals("false") ? " (YAML reads yes, no, on and off as true and false)" : "";
                problem("store.sync", "is \"" + sync + "\"" + yes + "; write full (an accepted delivery is synced to disk before "
                        + "its answer: it survives a power cut) or normal (SQLite only: it survives the robot being killed, "
                        + "not a power cut or an OS crash)");
            }
            if (!syncEveryAccept && url.filter(StoreUrls.MEMORY::equals).isPresent()) {
                problem("store.sync", "normal is for SQLite, and store.url is memory, which keeps nothing across a restart");
            }
            if (database && !syncEveryAccept) {
                problem("store.sync", "normal is for SQLite; on PostgreSQL the server decides (its synchronous_commit "
                        + "setting, which a role or database can set)");
            }
        }
        return new RobotConfig.Store(url, raw.user(), raw.password(), retention, dedupe, lease, budget, syncEveryAccept);
    }

    private void storeCredential(String path, Optional<String> value, Optional<String> url, boolean database) {
        if (value.isEmpty()) {
            return;
        }
        if (value.get().isBlank()) {
            problem(path, "is empty; set it, or remove the key");
        } else if (!database) {
            problem(path, "is only for PostgreSQL, and store.url is "
                    + url.map(u -> u.equals(StoreUrls.MEMORY) ? "memory" : "not a jdbc:postgresql:// URL")
                            .orElse("not set (SQLite beside the config)")
                    + "; remove it, or set store.url to jdbc:postgresql://HOST:PORT/DB");
        }
    }

    /** Reports a {@code store.url} that is none of the three kinds; a message shows it with its passwords masked. */
    private void storeUrl(String url) {
        String shown = "\"" + StoreUrls.mask(url) + "\"";
        String kinds = "use memory, jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB";
        if (url.isEmpty()) {
            problem("store.url", "is empty; remove the key for the default (SQLite beside the config), or " + kinds);
        } else if (url.equals(StoreUrls.MEMORY)) {
            return;
        } else if (url.startsWith(StoreUrls.SQLITE)) {
            String file = StoreUrls.sqliteFile(url);
            if (file.isBlank()) {
                problem("store.url", shown + " names no file; write jdbc:sqlite:FILE, such as jdbc:sqlite:autodeploy.db");
            } else if (file.startsWith(":memory:") || file.contains("mode=memory")) {
                problem("store.url", shown + " is a database in memory, lost at every restart; use store.url: memory "
                        + "for that, or name a file");
            }
        } else if (url.startsWith(StoreUrls.POSTGRESQL)) {
            String rest = url.substring(StoreUrls.POSTGRESQL.length());
            int slash = rest.indexOf('/');
            String hostPort = slash < 0 ? rest : rest.substring(0, slash);
            hostPort = hostPort.substring(hostPort.lastIndexOf('@') + 1);
            String database = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("[?#].*", "");
            String port = hostPort.startsWith("[") ? hostPort.replaceFirst("^\\[[^]]*]:?", "")
                    : hostPort.contains(":") ? hostPort.substring(hostPort.lastIndexOf(':') + 1) : "";
            if (hostPort.isBlank() || hostPort.startsWith(":") || database.isBlank()) {
                problem("store.url", shown + " names no " + (hostPort.isBlank() || hostPort.startsWith(":") ? "host" : "database")
                        + "; write jdbc:postgresql://HOST:PORT/DB");
            } else if (!port.isEmpty() && !(port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1
                    && Integer.parseInt(port) <= 65535)) {
                problem("store.url", shown + " has no valid port; write jdbc:postgresql://HOST:PORT/DB with a port from 1 to 65535");
            }
        } else {
            problem("store.url", shown + " is not a store URL; " + kinds);
        }
    }

    private int positive(String path, Optional<Integer> value, int fallback) {
        if (value.isPresent() && value.get() < 1) {
            problem(path, "is " + value.get() + "; it must be at least 1");
        }
        return value.orElse(fallback);
    }

    private Duration duration(String path, Optional<String> value, Duration fallback) {
        if (value.isEmpty()) {
            return fallback;
        }
        Optional<Duration> d = Durations.parse(value.get());
        if (d.isEmpty() || d.get().isNegative() || d.get().isZero()) {
            problem(path, "\"" + value.get() + "\" is not a positive duration; write it like 90s, 30m or 2h");
            return fallback;
        }
        return d.get();
    }

    private void repo(String key, RawRepo repo, List<EnvironmentRule> rules) {
        String path = "repos." + key;
        RepositoryName name;
        try {
            name = RepositoryName.of(key);
        } catch (InvalidValueException e) {
            problem(path, e.getMessage());
            return;
        }
        unclaimedKeys(path, repo.defaults(), REPO_KEYS);
        List<DeployWindow> windows = windows(path, repo.defaults().windows());
        List<Freeze> freezes = freezes(path, repo.defaults().freeze());
        if (repo.environments().isEmpty()) {
            rule(path, name, EnvironmentName.PRODUCTION, repo.defaults(), path, Set.of(), DeploySchedule.of(windows, freezes))
                    .ifPresent(rules::add);
            return;
        }
        for (Map.Entry<String, RawRule> e : new TreeMap<>(repo.environments()).entrySet()) {
            String envPath = path + ".environments." + e.getKey();
            EnvironmentName env;
            try {
                env = EnvironmentName.of(e.getKey());
            } catch (InvalidValueException ex) {
                problem(envPath, ex.getMessage());
                continue;
            }
            unclaimedKeys(envPath, e.getValue(), RawRule.KEYS);
            Set<String> inherited = new HashSet<>(repo.defaults().options().keySet());
            inherited.removeAll(e.getValue().options().keySet());
            RawRule own = e.getValue();
            // Inherited windows and freezes were checked once, where the repository's entry writes them.
            DeploySchedule schedule = DeploySchedule.of(
                    own.windows().isPresent() ? windows(envPath, own.windows()) : windows,
                    own.freeze().isPresent() ? freezes(envPath, own.freeze()) : freezes);
            rule(envPath, name, env, own.inheritFrom(repo.defaults()), path, inherited, schedule).ifPresent(rules::add);
        }
    }

    /**
     * @param writtenAt  where the rule's inherited keys are written (the repository's entry)
     * @param inherited  the option keys this rule takes from there
     * @param schedule   its windows and freezes, checked where they are written
     */
    private Optional<EnvironmentRule> rule(String path, RepositoryName repo, EnvironmentName env, RawRule r,
                                           String writtenAt, Set<String> inherited, DeploySchedule schedule) {
        int before = problems.size();
        Execution execution = execution(path, r, writtenAt, inherited);
        RequiredContexts contexts = r.requiredContexts().map(names -> {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i) == null || names.get(i).isBlank()) {
                    problem(path + ".required_contexts[" + i + "]", "is empty; write the context's name as GitHub shows it, such as ci/build");
                }
            }
            return RequiredContexts.of(names);
        }).orElse(RequiredContexts.all());
        List<Trigger> triggers = triggers(path, r);
        Duration stepTimeout = duration(path + ".step_timeout", r.stepTimeout(), EnvironmentRule.DEFAULT_STEP_TIMEOUT);
        Duration ciTimeout = duration(path + ".ci_timeout", r.ciTimeout(), EnvironmentRule.DEFAULT_CI_TIMEOUT);
        Duration poll = duration(path + ".ci_poll_interval", r.ciPollInterval(), EnvironmentRule.DEFAULT_CI_POLL_INTERVAL);
        Set<NotificationKind> notifyOn = notifyOn(path, r);
        r.slackWebhookUrl().filter(u -> !u.startsWith("https://"))
                .ifPresent(u -> problem(path + ".slack_webhook_url", "must be an https:// incoming-webhook URL from Slack"));
        r.folder().filter(String::isBlank).ifPresent(f -> problem(path + ".folder", "is empty; name the folder the commands run in"));
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new EnvironmentRule(repo, env, r.folder(), execution, contexts, triggers, stepTimeout,
                ciTimeout, poll, r.neutralPasses().orElse(false), r.supersede().orElse(true),
                r.rerunInterrupted().orElse(false), notifyOn, r.slackWebhookUrl(), schedule,
                rollbackRequiredContexts(path, r), r.lockOnRollback().orElse(false), protection(path, r)));
    }

    /** The GitHub App of {@code github.app_id} and {@code github.private_key}: both or neither. */
    private Optional<GitHubApp> githubApp(RawGitHub github) {
        Optional<String> key = github.privateKey().filter(k -> !k.isBlank());
        if (github.appId().isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (github.appId().isEmpty()) {
            problem("github.app_id", "is missing: set it with github.private_key (the App's id, from its settings page)");
            return Optional.empty();
        }
        long id;
        try {
            id = Long.parseLong(github.appId().get().strip());
        } catch (NumberFormatException e) {
            id = 0;
        }
        if (id <= 0) {
            problem("github.app_id", "must be the App's id, a positive number such as 123456");
            return Optional.empty();
        }
        if (key.isEmpty()) {
            problem("github.private_key", "is missing or empty: set it to the App's private key, such as ${GITHUB_APP_PRIVATE_KEY}");
            return Optional.empty();
        }
        if (!key.get().contains("-----BEGIN") || !key.get().contains("PRIVATE KEY-----")) {
            problem("github.private_key", "is not a PEM private key (-----BEGIN RSA PRIVATE KEY----- ...) as GitHub gives it");
            return Optional.empty();
        }
        try {
            GitHubApp.readPrivateKey(key.get());
        } catch (IllegalArgumentException e) {
            problem("github.private_key", "cannot be read as the App's RSA private key (truncated, another kind of key, or "
                    + "encrypted); use the .pem file GitHub gave you");
            return Optional.empty();
        }
        return Optional.of(new GitHubApp(id, key.get()));
    }

    /** The protection-rule gate a rule asks for, if any; problems at {@code path.protection_rules}. */
    private Optional<Protection> protection(String path, RawRule r) {
        if (r.protection().isEmpty() || !r.protection().get().enabled().orElse(true)) {
            return Optional.empty();
        }
        RawProtection p = r.protection().get();
        String at = path + ".protection_rules";
        int required = p.approvalsRequired().orElse(0);
        if (required < 0 || required > Protection.MAX_APPROVALS) {
            problem(at + ".approvals.required", "must be a whole number from 0 to " + Protection.MAX_APPROVALS);
            return Optional.empty();
        }
        io.github.autodeploy.core.control.Role role = io.github.autodeploy.core.control.Role.DEPLOYER;
        if (p.approvalRole().isPresent()) {
            String written = p.approvalRole().get();
            if (written.equals("deployer")) {
                role = io.github.autodeploy.core.control.Role.DEPLOYER;
            } else if (written.equals("admin")) {
                role = io.github.autodeploy.core.control.Role.ADMIN;
            } else {
                problem(at + ".approvals.role", "must be deployer or admin");
                return Optional.empty();
            }
        }
        Duration notifyAfter = duration(at + ".notify_after", p.notifyAfter(), Protection.DEFAULT_NOTIFY_AFTER);
        if (githubToken.isEmpty() && !r.requiredContexts().map(List::isEmpty).orElse(false)) {
            problem(at, "checks CI (required_contexts) through github.token, which is not set; set github.token, or write "
                    + "required_contexts: [] to gate on locks, windows and approvals only");
            return Optional.empty();
        }
        return Optional.of(new Protection(required, role, p.selfApproval().orElse(false), notifyAfter));
    }

    /** The value {@code make} gives, or a problem at {@code path} with the reason it refuses. */
    private <T> Optional<T> attempt(String path, Supplier<T> make) {
        try {
            return Optional.of(make.get());
        } catch (InvalidValueException e) {
            problem(path, e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code rollback_required_contexts}: none unless written; a blank name is a problem. */
    private RequiredContexts rollbackRequiredContexts(String path, RawRule r) {
        return r.rollbackRequiredContexts().map(names -> {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).isBlank()) {
                    problem(path + ".rollback_required_contexts[" + i + "]",
                            "is empty; write the context's name as GitHub shows it, such as ci/build");
                }
            }
            return RequiredContexts.of(names.stream().filter(n -> !n.isBlank()).toList());
        }).orElse(RequiredContexts.none());
    }

    private List<DeployWindow> windows(String path, Optional<List<RawWindow>> raw) {
        List<DeployWindow> out = new ArrayList<>();
        List<RawWindow> list = raw.orElse(List.of());
        for (int i = 0; i < list.size(); i++) {
            window(path + ".windows[" + i + "]", list.get(i)).ifPresent(out::add);
        }
        return out;
    }

    private Optional<DeployWindow> window(String p, RawWindow w) {
        int before = problems.size();
        Optional<ZoneId> zone = w.zone().isPresent() ? attempt(p + ".zone", () -> DeployWindow.zone(w.zone().get()))
                : Optional.of(ZoneOffset.UTC);
        Optional<Duration> duration = Optional.empty();
        if (w.duration().isEmpty()) {
            problem(p + ".duration", "is missing; write how long the window stays open, such as 8h or 90m");
        } else {
            duration = Durations.parse(w.duration().get()).filter(d -> !d.isNegative() && !d.isZero());
            if (duration.isEmpty()) {
                problem(p + ".duration", "\"" + w.duration().get() + "\" is not a positive duration; write it like 90m or 8h");
            } else if (duration.get().compareTo(DeployWindow.MAX_DURATION) > 0) {
                problem(p + ".duration", "\"" + w.duration().get() + "\" is longer than 7d; a window opens at least once a week, "
                        + "so use several windows, or none to deploy at any time");
            }
        }
        Optional<? extends WindowStart> start = Optional.empty();
        if (w.cron().isPresent()) {
            if (w.days().isPresent() || w.at().isPresent()) {
                problem(p, "has both cron and " + (w.days().isPresent() ? "days" : "at") + "; keep cron, or days and at");
            } else {
                start = attempt(p + ".cron", () -> CronExpression.parse(w.cron().get()));
            }
        } else if (w.at().isEmpty()) {
            problem(p, "has no start; write days and at, such as {days: mon-fri, at: \"09:00\", duration: 8h}, "
                    + "or cron, such as {cron: \"30 8 * * 1-5\", duration: 90m}");
        } else {
            Optional<LocalTime> at = attempt(p + ".at", () -> WeeklyStart.parseTime(w.at().get()));
            Optional<Set<DayOfWeek>> days = w.days().isPresent()
                    ? attempt(p + ".days", () -> WeeklyStart.parseDays(w.days().get()))
                    : Optional.of(EnumSet.allOf(DayOfWeek.class));
            if (at.isPresent() && days.isPresent()) {
                start = Optional.of(new WeeklyStart(days.get(), at.get()));
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new DeployWindow(start.orElseThrow(), duration.orElseThrow(), zone.orElseThrow()));
    }

    private List<Freeze> freezes(String path, Optional<List<RawFreeze>> raw) {
        List<Freeze> out = new ArrayList<>();
        List<RawFreeze> list = raw.orElse(List.of());
        for (int i = 0; i < list.size(); i++) {
            freeze(path + ".freeze[" + i + "]", list.get(i)).ifPresent(out::add);
        }
        return out;
    }

    private Optional<Freeze> freeze(String p, RawFreeze f) {
        int before = problems.size();
        Optional<ZoneId> zone = f.zone().isPresent() ? attempt(p + ".zone", () -> DeployWindow.zone(f.zone().get()))
                : Optional.of(ZoneOffset.UTC);
        if (f.from().isEmpty()) {
            problem(p + ".from", "is missing; write the first day of the freeze, such as 2026-12-21 (or 2026-12-21T18:00)");
        }
        if (f.to().isEmpty()) {
            problem(p + ".to", "is missing; write its last day, such as 2027-01-04 (or the date-time it ends, 2027-01-04T06:00)");
        }
        Optional<String> reason = f.reason().map(String::strip).filter(r -> !r.isEmpty());
        reason.ifPresent(r -> attempt(p + ".reason", () -> {
            Freeze.checkReason(r);
            return r;
        }));
        if (zone.isEmpty() || problems.size() > before) {
            return Optional.empty();
        }
        Optional<Instant> start = attempt(p + ".from", () -> Freeze.startOf(f.from().get(), zone.get()));
        Optional<Instant> end = attempt(p + ".to", () -> Freeze.endOf(f.to().get(), zone.get()));
        if (start.isPresent() && end.isPresent() && !end.get().isAfter(start.get())) {
            problem(p + ".to", "\"" + f.to().get().strip() + "\" is not after from (\"" + f.from().get().strip()
                    + "\"); a freeze ends after it starts (a date as to means through the end of that day)");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Freeze(start.get(), end.get(), zone.get(), f.from().get().strip() + ".." + f.to().get().strip(),
                reason));
    }

    private Execution execution(String path, RawRule r, String writtenAt, Set<String> inherited) {
        Map<ExecutionKind, Map<String, Object>> claimed = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : new TreeMap<>(r.options()).entrySet()) {
            claimer(e.getKey()).ifPresent(k -> claimed.computeIfAbsent(k, x -> new TreeMap<>()).put(e.getKey(), e.getValue()));
        }
        List<String> runs = new ArrayList<>();
        if (r.commands().isPresent()) {
            runs.add("commands");
        }
        claimed.keySet().forEach(k -> runs.add(k.describe()));
        if (runs.size() > 1) {
            problem(path, "has both " + runs.get(0) + " and " + runs.get(1)
                    + "; keep one of them (or put them in separate environments)");
            return null;
        }
        if (!claimed.isEmpty()) {
            Map.Entry<ExecutionKind, Map<String, Object>> only = claimed.entrySet().iterator().next();
            for (ConfigProblem p : only.getKey().validate(path, only.getValue())) {
                ConfigProblem where = writtenWhere(p, path, writtenAt, inherited);
                if (!problems.contains(where)) {
                    problems.add(where);
                }
            }
            return new Execution.Planned(only.getKey().kind(), only.getValue());
        }
        if (r.commands().isEmpty()) {
            StringBuilder add = new StringBuilder("add commands (a list of argv lists)");
            kinds.forEach(k -> add.append(" or ").append(k.describe()));
            problem(path, "has nothing to run; " + add);
            return null;
        }
        List<List<String>> commands = r.commands().get();
        if (commands.isEmpty()) {
            problem(path + ".commands", "is empty; add at least one command, such as [make, deploy]");
        }
        if (r.folder().isEmpty()) {
            problem(path + ".folder", "is missing; commands run in a folder, such as /srv/app");
        }
        for (int i = 0; i < commands.size(); i++) {
            List<String> argv = commands.get(i);
            String cmdPath = path + ".commands[" + i + "]";
            if (argv.isEmpty() || argv.get(0) == null || argv.get(0).isBlank()) {
                problem(cmdPath, "has no program; write it as a list such as [git, fetch, origin]");
                continue;
            }
            for (int j = 0; j < argv.size(); j++) {
                if (argv.get(j) == null) {
                    problem(cmdPath + "[" + j + "]", "is empty (null); quote it or remove it");
                    continue;
                }
                for (String unknown : Placeholders.unknownIn(argv.get(j))) {
                    problem(cmdPath + "[" + j + "]", "uses ${" + unknown + "}, which is not a placeholder; use one of "
                            + String.join(", ", new TreeSet<>(Placeholders.NAMES)));
                }
            }
            placeholdersInInlineScripts(cmdPath, argv);
            environmentValuesInInlineScripts(cmdPath, argv);
        }
        return new Execution.Commands(commands, r.commandNames());
    }

    /**
     * A placeholder inside the script of {@code sh -c} (or any interpreter's inline code) would be
     * run as code: a ref or task holding {@code ;}, {@code $(...)} or quotes would execute. Such a
     * script reads the deployment's values from the {@code AUTODEPLOY_*} environment variables
     * instead, or takes them as arguments after the script.
     */
    private void placeholdersInInlineScripts(String cmdPath, List<String> argv) {
        for (InlineScripts.Script s : InlineScripts.in(argv)) {
            String script = argv.get(s.index());
            if (script == null) {
                continue;
            }
            for (String name : Placeholders.knownIn(script)) {
                String env = "AUTODEPLOY_" + name.toUpperCase(Locale.ROOT);
                problem(cmdPath + "[" + s.index() + "]", "puts ${" + name + "} into the code that " + s.interpreter()
                        + " runs, where a value holding a quote, ; or $(...) would run as code; read the environment "
                        + "variable " + env + " instead (in a shell: \"$" + env + "\", quoted), or pass ${" + name
                        + "} as an argument after the script: [sh, -c, 'deploy \"$1\"', sh, \"${" + name + "}\"]");
            }
        }
    }

    /**
     * A value the loader took from the environment ({@code ${DEPLOY_API_KEY}}) inside an inline script
     * is run as code too: a secret holding a quote or {@code $(...)} breaks or hijacks the script. The
     * script reads the variable itself instead. Values shorter than 4 characters are not looked for,
     * since they stand in scripts by chance.
     */
    private void environmentValuesInInlineScripts(String cmdPath, List<String> argv) {
        for (InlineScripts.Script s : InlineScripts.in(argv)) {
            String script = argv.get(s.index());
            if (script != null && environmentValues.stream().anyMatch(v -> v.length() >= 4 && script.contains(v))) {
                problem(cmdPath + "[" + s.index() + "]", "puts the value of an environment variable into the code that "
                        + s.interpreter() + " runs, where a quote, ; or $(...) in it would run as code; let the script read "
                        + "the variable itself (in a shell: \"$NAME\", quoted, with NAME the variable)");
            }
        }
    }

    /**
     * The problem at the place its key is written: a problem about a key an environment inherits is
     * the repository entry's problem, reported there once rather than once per environment.
     */
    private static ConfigProblem writtenWhere(ConfigProblem p, String path, String writtenAt, Set<String> inherited) {
        if (!p.path().startsWith(path + ".")) {
            return p;
        }
        String rest = p.path().substring(path.length() + 1);
        int end = rest.length();
        for (char c : new char[] {'.', '['}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return inherited.contains(rest.substring(0, end)) ? new ConfigProblem(writtenAt + "." + rest, p.message()) : p;
    }

    private List<Trigger> triggers(String path, RawRule r) {
        Optional<String> branch = r.branch();
        branch.ifPresent(b -> {
            try {
                GitRef.of(b);
            } catch (InvalidValueException e) {
                problem(path + ".branch", e.getMessage());
            }
        });
        List<String> words = r.on().orElse(List.of("merge"));
        List<Trigger> triggers = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if ("merge".equals(w)) {
                triggers.add(new Trigger(Trigger.Kind.MERGE, branch));
            } else if ("push".equals(w)) {
                triggers.add(new Trigger(Trigger.Kind.PUSH, branch));
            } else {
                problem(path + ".on[" + i + "]", "\"" + w + "\" is not a trigger; use merge, push, or [] to deploy only what others create");
            }
        }
        return triggers;
    }

    private Set<NotificationKind> notifyOn(String path, RawRule r) {
        if (r.notifyOn().isEmpty()) {
            return NotificationKind.DEFAULTS;
        }
        Set<NotificationKind> kinds = EnumSet.noneOf(NotificationKind.class);
        List<String> words = r.notifyOn().get();
        for (int i = 0; i < words.size(); i++) {
            Optional<NotificationKind> k = NotificationKind.fromConfigWord(words.get(i));
            if (k.isPresent()) {
                kinds.add(k.get());
            } else {
                List<String> all = new ArrayList<>();
                for (NotificationKind n : NotificationKind.values()) {
                    all.add(n.configWord());
                }
                problem(path + ".notify[" + i + "]", "\"" + words.get(i) + "\" is not an event; use any of " + String.join(", ", all));
            }
        }
        return kinds;
    }
}
