package io.github.autodeploy.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.autodeploy.core.config.RawConfig;
import io.github.autodeploy.core.config.ConfigProblem;
import io.github.autodeploy.core.config.ExecutionKind;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RawGitHub;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.config.RawRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads a configuration file (YAML, or JSON when it ends in {@code .json}) into a {@link
 * LoadedConfig}: keys are read as the seed tool named them, {@code ${NAME}} comes from the
 * environment, and every problem (a typo in a key, a wrong type, a missing variable, an invalid
 * value) is reported at once with its line. A rule's keys that core does not read are handed, as
 * written, to the execution kinds given (the planners of the robot), which validate them; a key no
 * kind claims is unknown. Stateless and thread-safe.
 */
public final class ConfigFile {
    private static final Set<String> TOP = Set.of("github", "slack", "public_url", "engine", "server", "pages", "repos");
    private static final Set<String> GITHUB = Set.of("api_url", "token", "webhook_secret", "legacy_sha1_signatures");
    private static final Set<String> ENGINE = Set.of("workers", "queue_capacity", "shutdown_grace", "history_limit", "log_limit_bytes");
    private static final Set<String> SERVER = Set.of("port", "max_body_bytes");
    private static final Set<String> PAGES = Set.of("token", "username", "password", "open");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigFile() {
    }

    /** Loads {@code file} for a robot that runs only commands; see {@link #load(Path, Map, List)}. */
    public static LoadedConfig load(Path file, Map<String, String> env) {
        return load(file, env, List.of());
    }

    /**
     * Loads {@code file}, reading {@code ${NAME}} from {@code env}.
     *
     * @param kinds the execution kinds of the robot besides commands (its planners)
     * @throws ConfigFileException listing every problem, when there is any
     */
    public static LoadedConfig load(Path file, Map<String, String> env, List<? extends ExecutionKind> kinds) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(file.toString(), List.of(new ConfigFileException.Problem(0, "",
                    "the file does not exist; pass the path of your autodeploy.yml")));
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), List.of(new ConfigFileException.Problem(0, "",
                    "the file cannot be read: " + e.getMessage())));
        }
        return parse(file.toString(), text, file.toString().endsWith(".json"), env, kinds);
    }

    /** Every problem of {@code file} for a robot that runs only commands; see {@link #check(Path, Map, List)}. */
    public static List<String> check(Path file, Map<String, String> env) {
        return check(file, env, List.of());
    }

    /** Every problem of {@code file}, one per line of text; empty when it is valid. */
    public static List<String> check(Path file, Map<String, String> env, List<? extends ExecutionKind> kinds) {
        try {
            load(file, env, kinds);
            return List.of();
        } catch (ConfigFileException e) {
            return e.problems().stream().map(Object::toString).toList();
        }
    }

    /** Parses configuration text for a robot that runs only commands; see {@link #parse(String, String, boolean, Map, List)}. */
    public static LoadedConfig parse(String name, String text, boolean json, Map<String, String> env) {
        return parse(name, text, json, env, List.of());
    }

    /** Parses configuration text; {@code name} is used in messages. */
    public static LoadedConfig parse(String name, String text, boolean json, Map<String, String> env,
                                     List<? extends ExecutionKind> kinds) {
        JsonFactory factory = json ? new JsonFactory() : new YAMLFactory();
        JsonNode root;
        LineIndex lines;
        try (JsonParser indexParser = factory.createParser(text); JsonParser treeParser = factory.createParser(text)) {
            lines = LineIndex.of(indexParser);
            root = JSON.readTree(treeParser);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ConfigFileException(name, List.of(new ConfigFileException.Problem(line, "",
                    "not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new ConfigFileException(name, List.of(new ConfigFileException.Problem(0, "", "cannot be read: " + e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigFileException(name, List.of(new ConfigFileException.Problem(1, "",
                    "must be a map with github, repos and the other sections; see the README's configuration reference")));
        }
        TreeReader r = new TreeReader(env, lines);
        r.onlyKnownKeys(root, "", TOP);
        RawConfig raw = new RawConfig(github(r, root),
                section(r, root, "slack", Set.of("webhook_url")).flatMap(s -> r.text(s, "slack", "webhook_url")),
                r.text(root, "", "public_url"), repos(r, root), engine(r, root));
        ServerSettings server = server(r, root, raw.publicUrl());
        for (ConfigProblem p : raw.validate(kinds)) {
            r.problem(p.path(), p.message());
        }
        if (!r.problems.isEmpty()) {
            throw new ConfigFileException(name, r.problems);
        }
        RobotConfig robot = raw.resolve(kinds);
        return new LoadedConfig(robot, server);
    }

    private static Optional<JsonNode> section(TreeReader r, JsonNode root, String key, Set<String> known) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            r.problem(key, "must be a map of keys");
            return Optional.empty();
        }
        r.onlyKnownKeys(n, key, known);
        return Optional.of(n);
    }

    private static RawGitHub github(TreeReader r, JsonNode root) {
        Optional<JsonNode> g = section(r, root, "github", GITHUB);
        if (g.isEmpty()) {
            return new RawGitHub(Optional.empty(), Optional.empty(), List.of(), false);
        }
        JsonNode n = g.get();
        // An empty token (such as ${GITHUB_TOKEN:-} with nothing set) means none: statuses stay local.
        return new RawGitHub(r.text(n, "github", "api_url"), r.text(n, "github", "token").filter(t -> !t.isBlank()),
                r.strings(n, "github", "webhook_secret").orElse(List.of()),
                r.bool(n, "github", "legacy_sha1_signatures").orElse(false));
    }

    private static RawEngine engine(TreeReader r, JsonNode root) {
        Optional<JsonNode> e = section(r, root, "engine", ENGINE);
        if (e.isEmpty()) {
            return RawEngine.defaults();
        }
        JsonNode n = e.get();
        return new RawEngine(r.number(n, "engine", "workers").map(Long::intValue),
                r.number(n, "engine", "queue_capacity").map(Long::intValue), r.text(n, "engine", "shutdown_grace"),
                r.number(n, "engine", "history_limit").map(Long::intValue), r.number(n, "engine", "log_limit_bytes"));
    }

    private static ServerSettings server(TreeReader r, JsonNode root, Optional<String> publicUrl) {
        ServerSettings d = ServerSettings.defaults();
        Optional<JsonNode> s = section(r, root, "server", SERVER);
        Optional<JsonNode> p = section(r, root, "pages", PAGES);
        int port = s.flatMap(n -> r.number(n, "server", "port")).map(Long::intValue).orElse(d.port());
        if (port < 0 || port > 65535) {
            r.problem("server.port", "is " + port + "; use a port from 1 to 65535, or 0 for any free port");
        }
        long max = s.flatMap(n -> r.number(n, "server", "max_body_bytes")).orElse(d.maxBodyBytes());
        if (max < 1024) {
            r.problem("server.max_body_bytes", "is " + max + "; GitHub sends payloads of up to 25 MB, keep at least 1024");
        }
        Optional<String> user = p.flatMap(n -> r.text(n, "pages", "username"));
        Optional<String> password = p.flatMap(n -> r.text(n, "pages", "password"));
        if (user.isPresent() != password.isPresent()) {
            r.problem("pages", "set both username and password, or neither");
        }
        return new ServerSettings(port, max, p.flatMap(n -> r.text(n, "pages", "token")), user, password,
                p.flatMap(n -> r.bool(n, "pages", "open")).orElse(false), publicUrl);
    }

    private static Map<String, RawRepo> repos(TreeReader r, JsonNode root) {
        Map<String, RawRepo> repos = new LinkedHashMap<>();
        JsonNode n = root.get("repos");
        if (n == null || n.isNull()) {
            return repos;
        }
        if (!n.isObject()) {
            r.problem("repos", "must be a map from owner/name to the repository's keys");
            return repos;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = "repos." + e.getKey();
            if (!e.getValue().isObject()) {
                r.problem(path, "must be a map of keys such as folder and commands");
                continue;
            }
            Map<String, RawRule> envs = new LinkedHashMap<>();
            JsonNode envNode = e.getValue().get("environments");
            if (envNode != null && !envNode.isNull()) {
                if (!envNode.isObject()) {
                    r.problem(path + ".environments", "must be a map from environment name to its keys");
                } else {
                    for (Iterator<Map.Entry<String, JsonNode>> envs2 = envNode.fields(); envs2.hasNext(); ) {
                        Map.Entry<String, JsonNode> env = envs2.next();
                        String envPath = path + ".environments." + env.getKey();
                        envs.put(env.getKey(), env.getValue().isObject() ? rule(r, env.getValue(), envPath, false) : RawRule.builder().build());
                        if (!env.getValue().isObject() && !env.getValue().isNull()) {
                            r.problem(envPath, "must be a map of keys (or empty to use the repository's)");
                        }
                    }
                }
            }
            repos.put(e.getKey(), new RawRepo(rule(r, e.getValue(), path, true), envs));
        }
        return repos;
    }

    /**
     * One rule's keys; {@code repository} is true for a repository's own entry, which may also hold
     * environments. The keys core does not read become the rule's options, as written; core reports
     * those that no execution kind claims.
     */
    private static RawRule rule(TreeReader r, JsonNode n, String path, boolean repository) {
        RawRule.Builder b = RawRule.builder();
        r.text(n, path, "folder").ifPresent(b::folder);
        commands(r, n, path).ifPresent(b::commands);
        r.strings(n, path, "required_contexts").ifPresent(b::requiredContexts);
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (!RawRule.KEYS.contains(key) && !(repository && key.equals("environments"))) {
                b.option(key, e.getValue().isValueNode() || e.getValue().isNull()
                        ? r.text(n, path, key).orElse("") : JSON.convertValue(e.getValue(), Object.class));
            }
        }
        r.strings(n, path, "on").ifPresent(b::on);
        r.text(n, path, "branch").ifPresent(b::branch);
        r.text(n, path, "step_timeout").ifPresent(b::stepTimeout);
        r.text(n, path, "ci_timeout").ifPresent(b::ciTimeout);
        r.text(n, path, "ci_poll_interval").ifPresent(b::ciPollInterval);
        r.bool(n, path, "neutral_passes").ifPresent(b::neutralPasses);
        r.bool(n, path, "supersede").ifPresent(b::supersede);
        r.bool(n, path, "rerun_interrupted").ifPresent(b::rerunInterrupted);
        r.strings(n, path, "notify").ifPresent(b::notifyOn);
        r.text(n, path, "slack_webhook_url").ifPresent(b::slackWebhookUrl);
        return b.build();
    }

    /** Each command an argv list, or (as the seed tool wrote them) a string split like a shell would, without one. */
    private static Optional<List<List<String>>> commands(TreeReader r, JsonNode n, String path) {
        JsonNode c = n.get("commands");
        if (c == null || c.isNull()) {
            return Optional.empty();
        }
        String p = path + ".commands";
        if (!c.isArray()) {
            r.problem(p, "must be a list of commands, each a list such as [git, fetch, origin]");
            return Optional.of(List.of());
        }
        List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            JsonNode cmd = c.get(i);
            String cp = p + "[" + i + "]";
            if (cmd.isTextual()) {
                try {
                    commands.add(ShellWords.split(r.substitute(cp, cmd.asText())));
                } catch (IllegalArgumentException e) {
                    r.problem(cp, e.getMessage());
                    commands.add(List.of());
                }
            } else if (cmd.isArray()) {
                commands.add(r.strings(cmd, cp));
            } else {
                r.problem(cp, "must be a list such as [git, fetch, origin] or a string such as \"git fetch origin\"");
                commands.add(List.of());
            }
        }
        return Optional.of(commands);
    }
}
