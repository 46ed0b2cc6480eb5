package io.github.autodeploy.ansible;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.AutodeployException;
import io.github.autodeploy.core.config.ConfigProblem;
import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.plan.CommandPlan;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.plan.DeploymentVariables;
import io.github.autodeploy.core.plan.StepFile;
import io.github.autodeploy.core.plan.ExecutionPlanner;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.plan.StepVerdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Plans a rule's {@code ansible_hosts} and {@code ansible_playbook} as one step, {@code
 * ansible-playbook -i INVENTORY PLAYBOOK --extra-vars @VARS.json} in the rule's folder, and judges how
 * it ended: exit 2 (a host failed) and 4 (unreachable, or a parse error) are failures summarised from
 * the recap; any other exit is an error. The deployment's values reach Ansible only through the vars
 * file (written owner-only and deleted by the runner), never argv, and every string in it is tagged
 * {@code !unsafe}, so a branch name or payload holding {@code {{ ... }}} is never templated. Thread-safe.
 *
 * <p>It claims every {@code ansible_*} key of a rule and validates them itself: {@code ansible_hosts}
 * and {@code ansible_playbook} (both required), and the options {@code ansible_limit}, {@code _tags},
 * {@code _skip_tags}, {@code _check} ({@code true} for a dry run), {@code _extra_vars} (a map), {@code
 * _vault_password_file}, {@code _private_key}, {@code _forks}, {@code _playbook_command}.
 */
public final class AnsiblePlanner implements ExecutionPlanner {
    /** The kind of execution this planner plans, in {@link Execution.Planned#kind()}. */
    public static final String KIND = "ansible";
    /** The option keys a playbook rule may carry besides inventory and playbook, without their {@code ansible_} prefix. */
    public static final Set<String> OPTIONS = Set.of("limit", "tags", "skip_tags", "check", "extra_vars",
            "vault_password_file", "private_key", "forks", "playbook_command");
    private static final String PREFIX = "ansible_";

    /** Made when a playbook is first planned or checked: a robot without playbooks (and its start) never waits for it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();

        private Json() {
        }
    }

    private AnsiblePlanner() {
    }

    public static AnsiblePlanner create() {
        return new AnsiblePlanner();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Every {@code ansible_*} key: a misspelt one is reported by {@link #validate} with the options it could be. */
    @Override
    public boolean claims(String key) {
        return key.startsWith(PREFIX);
    }

    @Override
    public String describe() {
        return "ansible_playbook";
    }

    @Override
    public List<ConfigProblem> validate(String keyPath, Map<String, Object> options) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (String key : new TreeSet<>(options.keySet())) {
            String path = keyPath + "." + key;
            Object value = options.get(key);
            String option = key.substring(PREFIX.length());
            if (key.equals("ansible_hosts") || key.equals("ansible_playbook")) {
                if (value instanceof Map || value instanceof List) {
                    problems.add(new ConfigProblem(path, notSingle(value)));
                }
            } else if (!OPTIONS.contains(option)) {
                problems.add(new ConfigProblem(path, "is not an Ansible option; use one of ansible_"
                        + String.join(", ansible_", new TreeSet<>(OPTIONS))));
            } else if (option.equals("extra_vars")) {
                if (!(value instanceof Map) && !(value instanceof String text && isJsonObject(text))) {
                    problems.add(new ConfigProblem(path, "must be a map of variables"));
                }
            } else if (value instanceof Map || value instanceof List) {
                problems.add(new ConfigProblem(path, notSingle(value)));
            } else if (option.equals("check") && !text(value).equals("true") && !text(value).equals("false")) {
                problems.add(new ConfigProblem(path, "is \"" + value + "\"; write true or false"));
            } else if (option.equals("forks") && !text(value).matches("[1-9][0-9]{0,3}")) {
                problems.add(new ConfigProblem(path, "is \"" + value + "\"; write a number from 1 to 9999"));
            } else if (text(value).isBlank()) {
                problems.add(new ConfigProblem(path, "is empty"));
            }
        }
        if (text(options.get("ansible_hosts")).isBlank()) {
            problems.add(new ConfigProblem(keyPath + ".ansible_hosts", "is missing; name the inventory file for ansible_playbook"));
        }
        if (text(options.get("ansible_playbook")).isBlank()) {
            problems.add(new ConfigProblem(keyPath + ".ansible_playbook", "is missing; name the playbook to run with ansible_hosts"));
        }
        return problems;
    }

    @Override
    public CommandPlan plan(EnvironmentRule rule, Deployment deployment, String scratchDirectory) {
        if (!(rule.execution() instanceof Execution.Planned planned) || !planned.kind().equals(KIND)) {
            throw new IllegalArgumentException("rule for " + rule.repository() + " " + rule.environment() + " does not run a playbook");
        }
        String path = "repos." + rule.repository() + " (" + rule.environment() + ")";
        List<ConfigProblem> problems = validate(path, planned.options());
        if (!problems.isEmpty()) {
            throw new AutodeployException(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
        }
        Map<String, Object> o = planned.options();
        String inventory = text(o.get("ansible_hosts"));
        String playbook = text(o.get("ansible_playbook"));
        String vars = scratchDirectory + "/vars.yml";
        String payloadFile = scratchDirectory + "/payload.json";
        List<String> argv = new ArrayList<>(List.of(text(o.getOrDefault("ansible_playbook_command", "ansible-playbook")),
                "-i", inventory, playbook, "--extra-vars", "@" + vars));
        option(argv, o, "limit", "--limit");
        option(argv, o, "tags", "--tags");
        option(argv, o, "skip_tags", "--skip-tags");
        option(argv, o, "forks", "--forks");
        option(argv, o, "vault_password_file", "--vault-password-file");
        option(argv, o, "private_key", "--private-key");
        if ("true".equals(text(o.get("ansible_check")))) {
            argv.add("--check");
        }
        Map<String, String> env = new LinkedHashMap<>(DeploymentVariables.environment(deployment, payloadFile));
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_FORCE_COLOR", "0");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "0");
        env.put("PYTHONUNBUFFERED", "1");
        List<StepFile> files = List.of(new StepFile(vars, varsYaml(deployment, o.get("ansible_extra_vars"))),
                new StepFile(payloadFile, deployment.payloadJson()));
        return new CommandPlan(List.of(new CommandStep("ansible-playbook " + playbook, argv, rule.folder(), env,
                files, rule.stepTimeout())));
    }

    /** A single value as text; empty for none (or for a list or map, which {@link #validate} reports). */
    private static String text(Object value) {
        return value == null || value instanceof Map || value instanceof List ? "" : String.valueOf(value);
    }

    private static String notSingle(Object value) {
        return "must be a single value, not a " + (value instanceof Map ? "map" : "list");
    }

    @Override
    public StepVerdict judge(CommandStep step, StepResult result, List<String> outputTail) {
        String program = step.argv().get(0);
        switch (result.outcome()) {
            case NOT_STARTED:
                return new StepVerdict(DeploymentState.ERROR, program + " did not start (" + result.message()
                        + "); install Ansible (apt-get install ansible-core, or pip install ansible-core) or set ansible_playbook_command");
            case TIMED_OUT:
                return new StepVerdict(DeploymentState.FAILURE, "ansible-playbook " + result.message());
            case FAILED:
                break;
            default:
                return ExecutionPlanner.super.judge(step, result, outputTail);
        }
        int code = result.exitCode();
        String recap = Recap.summary(Recap.read(outputTail)).orElse("");
        if (code == 2 || code == 4) {
            if (!recap.isEmpty()) {
                return new StepVerdict(DeploymentState.FAILURE, recap);
            }
            return new StepVerdict(DeploymentState.FAILURE, code == 4
                    ? "ansible-playbook could not reach the hosts or parse the playbook or inventory (exit 4)"
                    : "ansible-playbook reported a failed host (exit 2)");
        }
        String why = switch (code) {
            case 1 -> "an error";
            case 5 -> "bad or incomplete options";
            case 250 -> "an unexpected error";
            default -> "exit code " + code;
        };
        return new StepVerdict(DeploymentState.ERROR, "ansible-playbook stopped with " + why + " (exit " + code + ")"
                + (recap.isEmpty() ? "" : "; " + recap));
    }

    private static void option(List<String> argv, Map<String, Object> o, String key, String flag) {
        Object v = o.get(PREFIX + key);
        if (v != null) {
            argv.add(flag);
            argv.add(text(v));
        }
    }

    private static String varsYaml(Deployment d, Object extraVars) {
        ObjectNode vars = Json.MAPPER.createObjectNode();
        if (extraVars instanceof String text) {
            vars.setAll((ObjectNode) parse(text));
        } else if (extraVars != null) {
            vars.setAll((ObjectNode) Json.MAPPER.valueToTree(extraVars));
        }
        DeploymentVariables.placeholderValues(d).forEach(vars::put);
        // Ansible reserves "environment" (a play keyword) and ignores a variable of that name with a
        // warning, so a playbook reads the deployment's environment as deploy_environment.
        vars.remove("environment");
        vars.put("deploy_environment", d.environment().value());
        vars.set("payload", parse(d.payloadJson()));
        return UnsafeYaml.write(vars);
    }

    private static boolean isJsonObject(String text) {
        try {
            return Json.MAPPER.readTree(text).isObject();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return Json.MAPPER.getNodeFactory().textNode(json);
        }
    }
}
