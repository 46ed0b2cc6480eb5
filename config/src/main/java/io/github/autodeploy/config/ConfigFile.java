package io.github.autodeploy.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.autodeploy.core.config.RawConfig;
import io.github.autodeploy.core.config.ConfigProblem;
import io.github.autodeploy.core.config.ExecutionKind;
import io.github.autodeploy.core.config.RawEngine;
import io.github.autodeploy.core.config.RawFreeze;
import io.github.autodeploy.core.config.RawWindow;
import io.github.autodeploy.core.config.RawGitHub;
import io.github.autodeploy.core.config.RawRepo;
import io.github.autodeploy.core.config.RawStore;
import io.github.autodeploy.core.config.RobotConfig;
import io.github.autodeploy.core.config.RawProtection;
import io.github.autodeploy.core.config.RawRule;
import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Credential;
import io.github.autodeploy.core.control.Role;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
    private static final Set<String> TOP = Set.of("github", "slack", "public_url", "engine", "store", "server", "pages",
            "repos", "access");
    private static final Set<String> GITHUB = Set.of("api_url", "token", "webhook_secret", "legacy_sha1_signatures",
            "app_id", "private_key");
    private static final Set<String> ENGINE = Set.of("workers", "queue_capacity", "shutdown_grace", "history_limit", "log_limit_bytes");
    private static final Set<String> STORE = Set.of("url", "user", "password", "retention", "dedupe_window", "lease_timeout",
            "log_budget_bytes", "sync");
    private static final Set<String> SERVER = Set.of("port", "max_body_bytes");
    private static final Set<String> PAGES = Set.of("token", "username", "password", "open");
    private static final Set<String> ACCESS = Set.of("users");
    private static final Set<String> USER = Set.of("token", "role");
    /** A user's token is their password: shorter ones can be guessed by trying. */
    static final int MIN_TOKEN_LENGTH = 16;

    private ConfigFile() {
    }

    /** A configuration is a page or two; a larger file (or a device such as /dev/zero) is a mistake. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

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
        byte[] bytes;
        try {
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw new ConfigFileException(file.toString(), List.of(new ConfigFileException.Problem(0, "",
                        "the file is larger than " + MAX_FILE_BYTES / 1024 + " KiB; is it really your autodeploy.yml?")));
            }
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(file.toString(), List.of(new ConfigFileException.Problem(0, "",
                    "the file does not exist; pass the path of your autodeploy.yml")));
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), List.of(new ConfigFileException.Problem(0, "",
                    "the file cannot be read: " + e.getMessage())));
        }
        return parse(file.toString(), bytes, file.toString().endsWith(".json"), env, kinds).from(file);
    }

    /** Parses the bytes of a file, which must be UTF-8; {@code name} is used in messages. */
    static LoadedConfig parse(String name, byte[] bytes, boolean json, Map<String, String> env,
                              List<? extends ExecutionKind> kinds) {
        return parse(name, utf8(name, bytes), json, env, kinds);
    }

    /** The text of {@code bytes}, or a problem naming the line and column of the first byte that is not UTF-8. */
    private static String utf8(String name, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new ConfigFileException(name, List.of(new ConfigFileException.Problem(line, "",
                    "the file is not valid UTF-8 at byte " + (at - lineStart + 1) + " of this line (0x"
                            + String.format("%02X", bytes[at] & 0xff) + "); save it as UTF-8")));
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
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

    /**
     * A parser's complaint without the text it quotes: YAML errors show the offending line (which may
     * hold a password or token written in the file) and JSON errors quote the offending token, so
     * quoted lines are dropped and quoted tokens shortened; the line number is reported beside it.
     */
    static String syntaxProblem(String message) {
        List<String> kept = new ArrayList<>();
        for (String line : message.split("\\R")) {
            if (line.startsWith("    ") || line.isBlank() || line.strip().matches("\\^+")) {
                continue; // a quoted line of the file, or the caret under it
            }
            kept.add(line.strip().replaceAll("^in 'reader', (line \\d+, column \\d+):$", "($1)"));
        }
        return String.join(" ", kept).replaceAll("'(?!(?:null|true|false)')[^'\\r\\n]{2,}'", "'...'").replaceAll("\"[^\"\\r\\n]{2,}\"", "\"...\"");
    }

    /** Parses configuration text; {@code name} is used in messages. */
    public static LoadedConfig parse(String name, String text, boolean json, Map<String, String> env,
                                     List<? extends ExecutionKind> kinds) {
        JsonFactory factory = json ? new JsonFactory() : new YAMLFactory();
        JsonNode root;
        LineIndex lines;
        try (JsonParser indexParser = factory.createParser(text); JsonParser treeParser = factory.createParser(text)) {
            lines = LineIndex.of(indexParser);
            root = ConfigTree.read(treeParser);
        } catch (StreamConstraintsException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            String why = e.getOriginalMessage().contains("nesting depth")
                    ? "nests deeper than " + factory.streamReadConstraints().getMaxNestingDepth() + " levels of maps and lists"
                    : "is too large to be a configuration (" + e.getOriginalMessage().replaceAll(" ?\\(from `[^`]*`\\)", "") + ")";
            throw new ConfigFileException(name, List.of(new ConfigFileException.Problem(Math.max(line, 1), "",
                    why + "; a configuration needs a few levels of maps and lists")));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ConfigFileException(name, List.of(new ConfigFileException.Problem(Math.max(line, 1), "",
                    "not valid " + (json ? "JSON" : "YAML") + ": " + syntaxProblem(e.getOriginalMessage()))));
        } catch (IOException e) {
            throw new ConfigFileException(name, List.of(new ConfigFileException.Problem(1, "", "cannot be read: " + e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigFileException(name, List.of(new ConfigFileException.Problem(1, "",
                    "must be a map with github, repos and the other sections; see the README's configuration reference")));
        }
        TreeReader r = new TreeReader(env, lines);
        for (LineIndex.Duplicate d : lines.duplicates()) {
            r.problemAt(d.secondLine(), d.path(), "is written twice, on line " + d.firstLine() + " and on line "
                    + d.secondLine() + "; keep one (only the last would count)");
        }
        r.onlyKnownKeys(root, "", TOP);
        Optional<String> publicUrl = r.setting(root, "", "public_url");
        ServerSettings server = server(r, root, publicUrl);
        RawGitHub github = github(r, root);
        Optional<String> slack = section(r, root, "slack", Set.of("webhook_url")).flatMap(s -> r.text(s, "slack", "webhook_url"));
        Map<String, RawRepo> repos = repos(r, root);
        RawEngine engine = engine(r, root);
        RawStore store = store(r, root);
        RawConfig raw = new RawConfig(github, slack, publicUrl, repos, engine, r.environmentValues(), store);
        for (ConfigProblem p : raw.validate(kinds)) {
            if (!r.refused.contains(p.path())) {
                r.problem(p.path(), p.message());
            }
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
        return new RawGitHub(r.setting(n, "github", "api_url"), r.credential(n, "github", "token").filter(t -> !t.isBlank()),
                r.credentials(n, "github", "webhook_secret").orElse(List.of()),
                r.bool(n, "github", "legacy_sha1_signatures").orElse(false), r.setting(n, "github", "app_id"),
                r.text(n, "github", "private_key"));
    }

    private static RawEngine engine(TreeReader r, JsonNode root) {
        Optional<JsonNode> e = section(r, root, "engine", ENGINE);
        if (e.isEmpty()) {
            return RawEngine.defaults();
        }
        JsonNode n = e.get();
        return new RawEngine(count(r, n, "workers", "lanes that may run at once"),
                count(r, n, "queue_capacity", "deployments that may wait"), r.setting(n, "engine", "shutdown_grace"),
                count(r, n, "history_limit", "deployments kept for the pages"),
                r.number(n, "engine", "log_limit_bytes", 1024, Long.MAX_VALUE, "keep at least 1024 bytes of log per deployment"));
    }

    /**
     * The {@code store:} section. The URL is a plain setting (messages show it with its passwords
     * masked, and the robot's secrets hold those passwords), the password a credential.
     */
    private static RawStore store(TreeReader r, JsonNode root) {
        Optional<JsonNode> s = section(r, root, "store", STORE);
        if (s.isEmpty()) {
            return RawStore.defaults();
        }
        JsonNode n = s.get();
        return new RawStore(r.setting(n, "store", "url"), r.text(n, "store", "user"), r.credential(n, "store", "password"),
                r.setting(n, "store", "retention"), r.setting(n, "store", "dedupe_window"),
                r.setting(n, "store", "lease_timeout"), r.number(n, "store", "log_budget_bytes", 1024, Long.MAX_VALUE,
                        "write the bytes all logs together may keep, at least 1024"), r.setting(n, "store", "sync"));
    }

    private static Optional<Integer> count(TreeReader r, JsonNode engine, String key, String what) {
        return r.number(engine, "engine", key, 1, Integer.MAX_VALUE, "write the number of " + what + ", from 1 to "
                + Integer.MAX_VALUE).map(Long::intValue);
    }

    private static ServerSettings server(TreeReader r, JsonNode root, Optional<String> publicUrl) {
        ServerSettings d = ServerSettings.defaults();
        Optional<JsonNode> s = section(r, root, "server", SERVER);
        Optional<JsonNode> p = section(r, root, "pages", PAGES);
        int port = s.flatMap(n -> r.number(n, "server", "port", 0, 65535, "use a port from 1 to 65535, or 0 for any free port"))
                .map(Long::intValue).orElse(d.port());
        long max = s.flatMap(n -> r.number(n, "server", "max_body_bytes", 1024, Long.MAX_VALUE,
                "GitHub sends payloads of up to 25 MB, keep at least 1024")).orElse(d.maxBodyBytes());
        Optional<String> token = p.flatMap(n -> credential(r, n, "token"));
        int before = r.problems.size();
        Optional<String> user = p.flatMap(n -> credential(r, n, "username"));
        Optional<String> password = p.flatMap(n -> credential(r, n, "password"));
        if (user.isPresent() != password.isPresent() && r.problems.size() == before) {
            r.problem("pages", "set both username and password, or neither");
        }
        if (user.isPresent() && !Actor.validName(user.get())) {
            r.problem("pages.username", "is not a valid user name (it names the admin in deployments' histories): use 1 to 64 "
                    + "letters, digits, '.', '_', '-', '@' or '+'");
            user = Optional.empty();
        }
        if (token.isPresent() && user.isPresent() && token.equals(password)) {
            r.problem("pages.password", "is the same as pages.token; keep one of them, or give each its own value");
        }
        List<Credential> users = users(r, root, token, user, password);
        return new ServerSettings(port, max, token, user, password, p.flatMap(n -> r.bool(n, "pages", "open")).orElse(false),
                publicUrl, users);
    }

    /**
     * The {@code access.users} section: each user's token (a credential, from the environment as a
     * rule) and role (required: a missing role is a problem rather than a guess). A blank, short or
     * shared token, an invalid name and an unknown role are problems.
     */
    private static List<Credential> users(TreeReader r, JsonNode root, Optional<String> sharedToken,
                                          Optional<String> sharedUser, Optional<String> sharedPassword) {
        List<Credential> users = new ArrayList<>();
        Optional<JsonNode> a = section(r, root, "access", ACCESS);
        JsonNode n = a.map(x -> x.get("users")).orElse(null);
        if (n == null || n.isNull()) {
            return users;
        }
        if (!n.isObject()) {
            r.problem("access.users", "must be a map from user name to {token: ..., role: viewer|deployer|admin}");
            return users;
        }
        Map<String, String> tokenOwners = new LinkedHashMap<>();
        Map<String, String> namesFolded = new LinkedHashMap<>();
        sharedToken.ifPresent(t -> tokenOwners.put(t, "pages.token"));
        sharedUser.flatMap(u -> sharedPassword).ifPresent(p -> tokenOwners.putIfAbsent(p, "pages.password"));
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String path = "access.users." + name;
            if (!e.getValue().isObject()) {
                r.problem(path, "must be a map such as {token: ${" + envName(name) + "_TOKEN}, role: viewer}");
                continue;
            }
            r.onlyKnownKeys(e.getValue(), path, USER);
            boolean ok = true;
            if (!Actor.validName(name)) {
                r.problem(path, "is not a valid user name: use 1 to 64 letters, digits, '.', '_', '-', '@' or '+'");
                ok = false;
            } else if (namesFolded.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), name) != null) {
                r.problem(path, "differs from user " + namesFolded.get(name.toLowerCase(java.util.Locale.ROOT))
                        + " only in case, which reads as the same person in a deployment's history; give one another name");
                ok = false;
            } else if (sharedUser.filter(name::equals).isPresent() || (sharedToken.isPresent() && name.equals(Credential.SHARED_TOKEN_USER))) {
                r.problem(path, "is also the user of " + (sharedUser.filter(name::equals).isPresent() ? "pages.username" : "pages.token")
                        + " (an admin); give this user another name, or remove the shared credential");
                ok = false;
            }
            Optional<Role> role = role(r, e.getValue(), path);
            Optional<String> token = userToken(r, e.getValue(), path, name);
            if (token.isPresent()) {
                String before = tokenOwners.putIfAbsent(token.get(), path + ".token");
                if (before != null) {
                    r.problem(path + ".token", "is the same as " + before + "; give each user a token of their own, "
                            + "or the robot cannot tell who did something");
                    ok = false;
                }
            }
            if (ok && token.isPresent() && role.isPresent()) {
                users.add(new Credential(new Actor(name, role.get()), token.get()));
            }
        }
        return users;
    }

    private static Optional<Role> role(TreeReader r, JsonNode user, String path) {
        Optional<String> written = r.setting(user, path, "role");
        if (written.isEmpty()) {
            r.problem(path + ".role", "is missing; write viewer (reads the pages and the API), deployer (also cancels and "
                    + "deploys) or admin");
            return Optional.empty();
        }
        for (Role role : Role.values()) {
            if (role.key().equals(written.get().strip())) {
                return Optional.of(role);
            }
        }
        r.problem(path + ".role", "is " + r.shown(path + ".role", written.get()) + "; write viewer, deployer or admin");
        return Optional.empty();
    }

    private static Optional<String> userToken(TreeReader r, JsonNode user, String path, String name) {
        String p = path + ".token";
        Optional<String> token = r.credential(user, path, "token");
        if (token.isEmpty()) {
            if (user.hasNonNull("token")) {
                return token; // not a single value: reported
            }
            r.problem(p, "is missing; set it from the environment, such as ${" + envName(name) + "_TOKEN} "
                    + "(make one with openssl rand -hex 32)");
            return Optional.empty();
        }
        if (token.get().isBlank()) {
            String vars = r.variablesOf(p);
            r.problem(p, "is empty" + (vars.isEmpty() ? "" : " (" + vars + " is empty or not set)")
                    + "; a blank token would let anyone in: set it, or remove the user");
            return Optional.empty();
        }
        if (token.get().strip().length() < MIN_TOKEN_LENGTH) {
            r.problem(p, "is shorter than " + MIN_TOKEN_LENGTH + " characters; a short token can be guessed by trying, "
                    + "so use a long random one (openssl rand -hex 32)");
            return Optional.empty();
        }
        return token.map(String::strip);
    }

    /** A user name as the name of an environment variable, for examples in messages. */
    private static String envName(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        return Actor.validName(name) && !upper.isEmpty() ? upper : "USER";
    }

    /**
     * A credential of the pages; an empty one (often {@code ${PAGES_PASSWORD:-}} with nothing set)
     * is a problem, since {@code admin:} would let anyone in, and counts as absent.
     */
    private static Optional<String> credential(TreeReader r, JsonNode pages, String key) {
        Optional<String> v = r.credential(pages, "pages", key);
        if (v.isPresent() && v.get().isBlank()) {
            String vars = r.variablesOf("pages." + key);
            r.problem("pages." + key, "is empty" + (vars.isEmpty() ? "" : " (" + vars + " is empty or not set)")
                    + "; set it, or remove " + (key.equals("token") ? "the key" : "both username and password")
                    + " to keep the deployments list closed");
            return Optional.empty();
        }
        return v;
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
        r.setting(n, path, "folder").ifPresent(f -> {
            folder(r, path + ".folder", f);
            b.folder(f);
        });
        commands(r, n, path, b);
        r.settings(n, path, "required_contexts").ifPresent(b::requiredContexts);
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (!RawRule.KEYS.contains(key) && !(repository && key.equals("environments"))) {
                b.option(key, e.getValue().isValueNode() || e.getValue().isNull()
                        ? r.text(n, path, key).orElse("") : ConfigTree.plain(e.getValue()));
            }
        }
        r.settings(n, path, "on").ifPresent(b::on);
        r.setting(n, path, "branch").ifPresent(b::branch);
        r.setting(n, path, "step_timeout").ifPresent(b::stepTimeout);
        r.setting(n, path, "ci_timeout").ifPresent(b::ciTimeout);
        r.setting(n, path, "ci_poll_interval").ifPresent(b::ciPollInterval);
        r.bool(n, path, "neutral_passes").ifPresent(b::neutralPasses);
        r.settings(n, path, "rollback_required_contexts").ifPresent(b::rollbackRequiredContexts);
        r.bool(n, path, "lock_on_rollback").ifPresent(b::lockOnRollback);
        r.bool(n, path, "supersede").ifPresent(b::supersede);
        r.bool(n, path, "rerun_interrupted").ifPresent(b::rerunInterrupted);
        r.settings(n, path, "notify").ifPresent(b::notifyOn);
        r.text(n, path, "slack_webhook_url").ifPresent(b::slackWebhookUrl);
        entries(r, n, path, "windows", RawWindow.KEYS, "{days: mon-fri, at: \"09:00\", duration: 8h, zone: Europe/Berlin}")
                .ifPresent(ws -> b.windows(ws.stream().map(w -> new RawWindow(r.settings(w.node(), w.path(), "days"),
                        r.setting(w.node(), w.path(), "at"), r.setting(w.node(), w.path(), "cron"),
                        r.setting(w.node(), w.path(), "duration"), r.setting(w.node(), w.path(), "zone"))).toList()));
        entries(r, n, path, "freeze", RawFreeze.KEYS, "{from: 2026-12-21, to: 2027-01-04, reason: year-end freeze}")
                .ifPresent(fs -> b.freeze(fs.stream().map(f -> new RawFreeze(r.setting(f.node(), f.path(), "from"),
                        r.setting(f.node(), f.path(), "to"), r.setting(f.node(), f.path(), "zone"),
                        r.setting(f.node(), f.path(), "reason"))).toList()));
        protection(r, n, path).ifPresent(b::protection);
        return b.build();
    }

    private static final Set<String> PROTECTION = Set.of("approvals", "notify_after");
    private static final Set<String> APPROVALS = Set.of("required", "role", "self_approval");

    /** {@code protect} and the {@code protection_rules:} section of a rule, if it has either. */
    private static Optional<RawProtection> protection(TreeReader r, JsonNode n, String path) {
        Optional<Boolean> protect = r.bool(n, path, "protect");
        JsonNode s = n.get("protection_rules");
        String sp = path + ".protection_rules";
        if (s == null || s.isNull()) {
            return protect.map(p -> new RawProtection(Optional.of(p), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty()));
        }
        if (!s.isObject()) {
            r.problem(sp, "must be a map, such as {approvals: {required: 1, role: deployer}, notify_after: 30m}");
            return Optional.empty();
        }
        r.onlyKnownKeys(s, sp, PROTECTION);
        Optional<Integer> required = Optional.empty();
        Optional<String> role = Optional.empty();
        Optional<Boolean> self = Optional.empty();
        JsonNode a = s.get("approvals");
        String ap = sp + ".approvals";
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                r.problem(ap, "must be a map, such as {required: 1, role: deployer, self_approval: false}");
            } else {
                r.onlyKnownKeys(a, ap, APPROVALS);
                required = r.number(a, ap, "required", 0, io.github.autodeploy.core.config.Protection.MAX_APPROVALS,
                        "write how many approvals a run needs, from 0 to "
                                + io.github.autodeploy.core.config.Protection.MAX_APPROVALS).map(Long::intValue);
                role = r.setting(a, ap, "role");
                self = r.bool(a, ap, "self_approval");
            }
        }
        return Optional.of(new RawProtection(Optional.of(protect.orElse(true)), required, role, self,
                r.setting(s, sp, "notify_after")));
    }

    /** One map of a list such as {@code windows:}, with its key path. */
    private record Entry(JsonNode node, String path) {
    }

    /**
     * The maps of the list at {@code key} (absent when the key is), each checked for unknown keys; a
     * problem for a value that is not a list, or an element that is not a map.
     */
    private static Optional<List<Entry>> entries(TreeReader r, JsonNode n, String path, String key, Set<String> known,
                                                 String example) {
        JsonNode list = n.get(key);
        if (list == null || list.isNull()) {
            return Optional.empty();
        }
        String p = path + "." + key;
        if (!list.isArray()) {
            r.problem(p, "must be a list of maps, such as [" + example + "]");
            return Optional.empty();
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String ep = p + "[" + i + "]";
            if (!list.get(i).isObject()) {
                r.problem(ep, "must be a map, such as " + example);
                continue;
            }
            r.onlyKnownKeys(list.get(i), ep, known);
            out.add(new Entry(list.get(i), ep));
        }
        return Optional.of(out);
    }

    /** A folder that exists must be a folder; one that does not yet may be made by the time a deployment runs. */
    private static void folder(TreeReader r, String path, String folder) {
        if (folder.isBlank()) {
            return;
        }
        try {
            Path p = Path.of(folder);
            if (Files.exists(p) && !Files.isDirectory(p)) {
                r.problem(path, "is a file, not a folder; name the folder the commands run in");
            }
        } catch (InvalidPathException e) {
            r.problem(path, "is not a valid path: " + e.getReason());
        }
    }

    /**
     * Each command an argv list, or (as the seed tool wrote them) a string split like a shell would,
     * without one; each named as written, before values from the environment are put in.
     */
    private static void commands(TreeReader r, JsonNode n, String path, RawRule.Builder b) {
        JsonNode c = n.get("commands");
        if (c == null || c.isNull()) {
            return;
        }
        String p = path + ".commands";
        if (!c.isArray()) {
            r.problem(p, "must be a list of commands, each a list such as [git, fetch, origin]");
            b.commands(List.of());
            return;
        }
        List<List<String>> commands = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            JsonNode cmd = c.get(i);
            String cp = p + "[" + i + "]";
            if (cmd.isTextual()) {
                names.add(writtenName(cmd.asText()));
                try {
                    commands.add(ShellWords.split(r.substitute(cp, cmd.asText(), true)));
                } catch (IllegalArgumentException e) {
                    r.problem(cp, e.getMessage());
                    commands.add(List.of());
                }
            } else if (cmd.isArray()) {
                List<String> written = new ArrayList<>();
                cmd.forEach(w -> {
                    if (w.isValueNode() && !w.isNull()) {
                        written.add(w.asText());
                    }
                });
                names.add(String.join(" ", written));
                commands.add(r.strings(cmd, cp, true));
            } else {
                r.problem(cp, "must be a list such as [git, fetch, origin] or a string such as \"git fetch origin\"");
                commands.add(List.of());
                names.add("");
            }
        }
        b.commands(commands, names);
    }

    private static String writtenName(String command) {
        try {
            return String.join(" ", ShellWords.split(command));
        } catch (IllegalArgumentException e) {
            return command;
        }
    }
}
