package io.github.autodeploy.assembly;

import io.github.autodeploy.ansible.AnsiblePlanner;
import io.github.autodeploy.config.ConfigFile;
import io.github.autodeploy.config.ConfigFileException;
import io.github.autodeploy.config.LoadedConfig;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.local.LocalCommandRunner;
import io.github.autodeploy.core.local.OfflineGitHub;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.plan.ExecutionPlanner;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.port.RobotMetrics;
import io.github.autodeploy.github.GitHubClient;
import io.github.autodeploy.github.ProtectionRuleClient;
import io.github.autodeploy.github.WebhookParser;
import io.github.autodeploy.github.WebhookVerifier;
import io.github.autodeploy.slack.SlackNotifier;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a running robot from a configuration file: loads it with the execution kinds this
 * assembly provides (commands, and Ansible playbooks), then builds the robot with the GitHub client
 * (or, without a token, an offline stand-in that keeps statuses locally), the Slack notifier when a
 * webhook is configured, the Ansible planner, the local runner and the store of {@code store.url}
 * (SQLite beside the file by default, PostgreSQL, or memory; see {@link RobotStore}). What the
 * standalone server, the WAR and framework integrations share. Stateless and thread-safe.
 */
public final class RobotAssembly {
    private static final Logger LOG = LoggerFactory.getLogger(RobotAssembly.class);

    private RobotAssembly() {
    }

    /** The planners every assembled robot has besides core's own for commands. */
    public static List<ExecutionPlanner> planners() {
        return List.of(AnsiblePlanner.create());
    }

    /**
     * Loads {@code file}, reading {@code ${NAME}} from {@code env}, validating the keys of every
     * kind of execution this assembly provides.
     *
     * @throws ConfigFileException listing every problem with its line, when there is any
     */
    public static LoadedConfig load(Path file, Map<String, String> env) {
        return ConfigFile.load(file, env, planners());
    }

    /** Every problem of {@code file}, one per line of text with its line number; empty when it is valid. */
    public static List<String> check(Path file, Map<String, String> env) {
        return ConfigFile.check(file, env, planners());
    }

    /** Parses configuration text as {@link #load} reads a file; {@code name} is used in messages. */
    public static LoadedConfig parse(String name, String text, boolean json, Map<String, String> env) {
        return ConfigFile.parse(name, text, json, env, planners());
    }

    /** Everything a host needs to serve webhooks: the robot and the verifier and parser for its endpoint. */
    public record Assembled(Autodeploy robot, WebhookVerifier verifier, WebhookParser parser, LoadedConfig config,
                        Secrets secrets, Optional<SlackNotifier> slack, RobotStore store) implements AutoCloseable {
        /** Stops the robot (draining its lanes), then the Slack notifier, then the store. */
        @Override
        public void close() {
            try {
                robot.close();
                slack.ifPresent(SlackNotifier::close);
            } finally {
                store.close();
            }
        }
    }

    /** The robot for {@code config}, as {@link #load} returned it. */
    public static Assembled assemble(LoadedConfig config) {
        return assemble(config, b -> { });
    }

    /**
     * The robot for {@code config}, letting {@code customize} replace any port before it is built
     * (your own notifier or store, a test clock) or add a planner. The store of {@code store.url} is
     * opened first (and closed with the robot) even when {@code customize} replaces it.
     *
     * @throws StoreUnavailableException when that store cannot be opened; its one-line message names
     *                                   {@code store.url}, password masked
     */
    public static Assembled assemble(LoadedConfig config, Consumer<Autodeploy.Builder> customize) {
        return assemble(config, RobotMetrics.none(), customize);
    }

    /**
     * As {@link #assemble(LoadedConfig, Consumer)}, reporting to {@code metrics}: the robot, the GitHub
     * client and the Slack notifier all report there (a {@code MicrometerRobotMetrics}, say).
     *
     * @throws StoreUnavailableException when the store of {@code store.url} cannot be opened
     */
    public static Assembled assemble(LoadedConfig config, RobotMetrics metrics, Consumer<Autodeploy.Builder> customize) {
        Secrets secrets = secretsOf(config);
        return assemble(config, customize, secrets, RobotStore.open(config, secrets), metrics);
    }

    /**
     * Opens the store of {@code config}'s {@code store.url} (connects, creates or migrates the schema, starts
     * pruning) ahead of {@link #assemble(LoadedConfig, RobotStore, RobotMetrics, Consumer)}: a host may do it on
     * another thread while it binds its port, since the store does not depend on the host's address.
     *
     * @throws StoreUnavailableException when that store cannot be opened; its one-line message names
     *                                   {@code store.url}, password masked
     */
    public static RobotStore openStore(LoadedConfig config) {
        return RobotStore.open(config, secretsOf(config));
    }

    /**
     * As {@link #assemble(LoadedConfig, RobotMetrics, Consumer)}, around {@code store} that {@link #openStore}
     * opened for this configuration (or the same one before {@link LoadedConfig#reachedAt}); the store is
     * closed with the robot, or at once when assembling fails.
     */
    public static Assembled assemble(LoadedConfig config, RobotStore store, RobotMetrics metrics,
                                     Consumer<Autodeploy.Builder> customize) {
        return assemble(config, customize, secretsOf(config), store, metrics);
    }

    /**
     * The robot for {@code config} with its durable store in a host application's {@code dataSource}
     * (SQLite or PostgreSQL; the schema is created or migrated as for {@code store.url}, which is not
     * read); the pool is the host's and stays open when the robot closes.
     *
     * @throws StoreUnavailableException when the store cannot be opened through {@code dataSource}
     */
    public static Assembled assemble(LoadedConfig config, DataSource dataSource, Consumer<Autodeploy.Builder> customize) {
        return assemble(config, dataSource, RobotMetrics.none(), customize);
    }

    /** As {@link #assemble(LoadedConfig, DataSource, Consumer)}, reporting to {@code metrics}. */
    public static Assembled assemble(LoadedConfig config, DataSource dataSource, RobotMetrics metrics,
                                     Consumer<Autodeploy.Builder> customize) {
        Secrets secrets = secretsOf(config);
        return assemble(config, customize, secrets, RobotStore.open(dataSource, config, secrets), metrics);
    }

    private static Secrets secretsOf(LoadedConfig config) {
        List<String> secretValues = new ArrayList<>(config.robot().secrets());
        config.server().pagesToken().ifPresent(secretValues::add);
        config.server().pagesPassword().ifPresent(secretValues::add);
        config.server().users().forEach(u -> secretValues.add(u.token()));
        return Secrets.of(secretValues);
    }

    /** Assembles the robot around {@code store}, which is closed when that fails. */
    private static Assembled assemble(LoadedConfig config, Consumer<Autodeploy.Builder> customize, Secrets secrets,
                                      RobotStore store, RobotMetrics metrics) {
        try {
            return wire(config, customize, secrets, store, metrics);
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
    }

    private static Assembled wire(LoadedConfig config, Consumer<Autodeploy.Builder> customize, Secrets secrets,
                                  RobotStore store, RobotMetrics metrics) {
        RobotConfig c = config.robot();
        LocalCommandRunner runner = LocalCommandRunner.create(secrets);
        Autodeploy.Builder b = Autodeploy.builder(c).secrets(secrets)
                .commandRunner(config.stateFolder().map(dir -> runner.recordingStepsIn(dir.resolve("steps"))).orElse(runner))
                .store(store.store()).metrics(metrics);
        if (c.githubToken().isPresent()) {
            GitHubClient github = GitHubClient.builder().baseUrl(c.githubApiUrl()).token(c.githubToken().get())
                    .metrics(metrics).build();
            b.deploymentApi(github).commitChecks(github);
        } else {
            LOG.warn("no github.token: deployments from signed webhooks run and their statuses stay on this robot's pages; "
                    + "auto-deploy on merge or push needs a token");
            OfflineGitHub offline = new OfflineGitHub();
            b.deploymentApi(offline).commitChecks(offline);
        }
        if (c.githubApp().isPresent()) {
            try {
                // Short timeouts: one gate thread judges every run, so a hanging call must not hold the others long.
                b.protectionRules(ProtectionRuleClient.builder().baseUrl(c.githubApiUrl())
                        .app(c.githubApp().get().appId(), c.githubApp().get().privateKeyPem())
                        .timeouts(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(15))
                        .metrics(metrics).build());
            } catch (IllegalArgumentException e) {
                throw new GitHubAppKeyException("github.private_key of GitHub App " + c.githubApp().get().appId()
                        + " cannot be read: it must be the App's private key as GitHub gives it (-----BEGIN RSA PRIVATE KEY-----)");
            }
        } else if (c.rules().stream().anyMatch(r -> r.protection().isPresent())) {
            LOG.warn("protection rules are configured but no GitHub App (github.app_id, github.private_key): "
                    + "the robot approves no GitHub Actions deployment");
        }
        if (!config.server().pagesOpen()) {
            // An approval of a gated Actions run counts only while its user is configured with the role.
            List<io.github.autodeploy.core.control.Credential> users = config.server().credentials();
            b.approvers(name -> users.stream().filter(u -> u.actor().name().equals(name)).map(u -> u.actor().role())
                    .findFirst());
        }
        Optional<SlackNotifier> slack = Optional.empty();
        if (c.slackWebhookUrl().isPresent() || c.rules().stream().anyMatch(r -> r.slackWebhookUrl().isPresent())) {
            SlackNotifier.Builder sb = SlackNotifier.builder().githubWebUrl(webUrl(c.githubApiUrl()))
                    .closeGrace(c.engine().shutdownGrace()).metrics(metrics);
            c.slackWebhookUrl().ifPresent(sb::webhookUrl);
            slack = Optional.of(sb.build());
            b.notifier(slack.get());
        } else {
            b.notifier(Notifier.none());
        }
        planners().forEach(b::planner);
        customize.accept(b);
        WebhookVerifier verifier = c.legacySha1Signatures()
                ? WebhookVerifier.withLegacySha1(c.webhookSecrets()) : WebhookVerifier.create(c.webhookSecrets());
        Autodeploy robot = b.build();
        return new Assembled(robot, verifier, WebhookParser.create(c.githubApiUrl()), config, robot.secrets(), slack, store);
    }

    /** GitHub's web address for its API address: api.github.com serves github.com; GHES serves both on one host. */
    public static String webUrl(String apiUrl) {
        if (apiUrl.equals(RobotConfig.DEFAULT_GITHUB_API_URL)) {
            return "https://github.com";
        }
        return apiUrl.endsWith("/api/v3") ? apiUrl.substring(0, apiUrl.length() - "/api/v3".length()) : apiUrl;
    }
}
