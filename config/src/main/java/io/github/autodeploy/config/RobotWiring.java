package io.github.autodeploy.config;

import io.github.autodeploy.ansible.AnsiblePlanner;
import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.local.LocalCommandRunner;
import io.github.autodeploy.core.local.OfflineGitHub;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.github.GitHubClient;
import io.github.autodeploy.github.WebhookParser;
import io.github.autodeploy.github.WebhookVerifier;
import io.github.autodeploy.slack.SlackNotifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a complete robot from a loaded configuration: the GitHub client (or, without a token, an
 * offline stand-in that keeps statuses locally), the Slack notifier when a webhook is configured, the
 * Ansible planner when a rule runs a playbook, the local runner and the in-memory store. Stateless.
 */
public final class RobotWiring {
    private static final Logger LOG = LoggerFactory.getLogger(RobotWiring.class);

    private RobotWiring() {
    }

    /** Everything a host needs to serve webhooks: the robot and the verifier and parser for its endpoint. */
    public record Wired(Autodeploy robot, WebhookVerifier verifier, WebhookParser parser, LoadedConfig config,
                        Secrets secrets, Optional<SlackNotifier> slack) implements AutoCloseable {
        /** Stops the robot (draining its lanes), then the Slack notifier. */
        @Override
        public void close() {
            robot.close();
            slack.ifPresent(SlackNotifier::close);
        }
    }

    public static Wired wire(LoadedConfig config) {
        return wire(config, b -> { });
    }

    /**
     * Wires the robot, letting {@code customize} replace any port before it is built (your own
     * notifier or store, a test clock).
     */
    public static Wired wire(LoadedConfig config, Consumer<Autodeploy.Builder> customize) {
        RobotConfig c = config.robot();
        List<String> secretValues = new ArrayList<>(c.secrets());
        config.server().pagesToken().ifPresent(secretValues::add);
        config.server().pagesPassword().ifPresent(secretValues::add);
        Secrets secrets = Secrets.of(secretValues);

        Autodeploy.Builder b = Autodeploy.builder(c)
                .commandRunner(LocalCommandRunner.create(secrets))
                .store(InMemoryDeploymentStore.create(c.engine().historyLimit(), c.engine().logLimitBytes()));
        if (c.githubToken().isPresent()) {
            GitHubClient github = GitHubClient.builder().baseUrl(c.githubApiUrl()).token(c.githubToken().get()).build();
            b.deploymentApi(github).commitChecks(github);
        } else {
            LOG.warn("no github.token: deployments from signed webhooks run and their statuses stay on this robot's pages; "
                    + "auto-deploy on merge or push needs a token");
            OfflineGitHub offline = new OfflineGitHub();
            b.deploymentApi(offline).commitChecks(offline);
        }
        Optional<SlackNotifier> slack = Optional.empty();
        if (c.slackWebhookUrl().isPresent() || c.rules().stream().anyMatch(r -> r.slackWebhookUrl().isPresent())) {
            SlackNotifier.Builder sb = SlackNotifier.builder().githubWebUrl(webUrl(c.githubApiUrl()));
            c.slackWebhookUrl().ifPresent(sb::webhookUrl);
            slack = Optional.of(sb.build());
            b.notifier(slack.get());
        } else {
            b.notifier(Notifier.none());
        }
        if (c.rules().stream().map(EnvironmentRule::execution).anyMatch(e -> e instanceof Execution.Playbook)) {
            b.planner(AnsiblePlanner.create());
        }
        customize.accept(b);
        WebhookVerifier verifier = c.legacySha1Signatures()
                ? WebhookVerifier.withLegacySha1(c.webhookSecrets()) : WebhookVerifier.create(c.webhookSecrets());
        return new Wired(b.build(), verifier, WebhookParser.create(), config, secrets, slack);
    }

    /** GitHub's web address for its API address: api.github.com serves github.com; GHES serves both on one host. */
    public static String webUrl(String apiUrl) {
        if (apiUrl.equals(RobotConfig.DEFAULT_GITHUB_API_URL)) {
            return "https://github.com";
        }
        return apiUrl.endsWith("/api/v3") ? apiUrl.substring(0, apiUrl.length() - "/api/v3".length()) : apiUrl;
    }
}
