package io.github.autodeploy.ansible;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.autodeploy.core.AutodeployException;
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

/**
 * Plans a rule's {@code ansible_hosts} and {@code ansible_playbook} as one step, {@code
 * ansible-playbook -i INVENTORY PLAYBOOK --extra-vars @VARS.json} in the rule's folder, and judges how
 * it ended: exit 2 (a host failed) and 4 (unreachable, or a parse error) are failures summarised from
 * the recap; any other exit is an error. The deployment's values reach Ansible only through the vars
 * file (written owner-only and deleted by the runner), never argv, and every string in it is tagged
 * {@code !unsafe}, so a branch name or payload holding {@code {{ ... }}} is never templated. Thread-safe.
 *
 * <p>Options, from the rule's other {@code ansible_*} keys: {@code limit}, {@code tags}, {@code
 * skip_tags}, {@code check} ({@code true} for a dry run), {@code extra_vars} (a JSON object), {@code
 * vault_password_file}, {@code private_key}, {@code forks}, {@code playbook_command}.
 */
public final class AnsiblePlanner implements ExecutionPlanner {
    /** The option keys a playbook rule may carry, without their {@code ansible_} prefix. */
    public static final Set<String> OPTIONS = Set.of("limit", "tags", "skip_tags", "check", "extra_vars",
            "vault_password_file", "private_key", "forks", "playbook_command");
    private static final ObjectMapper JSON = new ObjectMapper();

    private AnsiblePlanner() {
    }

    public static AnsiblePlanner create() {
        return new AnsiblePlanner();
    }

    /** What is wrong with a rule's Ansible options, one message per problem; empty when they are fine. */
    public static List<String> problems(Map<String, String> options) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(options.keySet())) {
            String value = options.get(key);
            if (!OPTIONS.contains(key)) {
                problems.add("ansible_" + key + " is not an Ansible option; use one of ansible_" + String.join(", ansible_", new TreeSet<>(OPTIONS)));
            } else if (key.equals("check") && !value.equals("true") && !value.equals("false")) {
                problems.add("ansible_check is \"" + value + "\"; write true or false");
            } else if (key.equals("forks") && !value.matches("[1-9][0-9]{0,3}")) {
                problems.add("ansible_forks is \"" + value + "\"; write a number from 1 to 9999");
            } else if (key.equals("extra_vars") && !isJsonObject(value)) {
                problems.add("ansible_extra_vars must be a map of variables");
            } else if (value.isBlank()) {
                problems.add("ansible_" + key + " is empty");
            }
        }
        return problems;
    }

    @Override
    public boolean plans(Execution execution) {
        return execution instanceof Execution.Playbook;
    }

    @Override
    public CommandPlan plan(EnvironmentRule rule, Deployment deployment, String scratchDirectory) {
        if (!(rule.execution() instanceof Execution.Playbook playbook)) {
            throw new IllegalArgumentException("rule for " + rule.repository() + " " + rule.environment() + " does not run a playbook");
        }
        Map<String, String> o = playbook.options();
        List<String> problems = problems(o);
        if (!problems.isEmpty()) {
            throw new AutodeployException("repos." + rule.repository() + ": " + String.join("; ", problems));
        }
        String vars = scratchDirectory + "/vars.yml";
        String payloadFile = scratchDirectory + "/payload.json";
        List<String> argv = new ArrayList<>(List.of(o.getOrDefault("playbook_command", "ansible-playbook"),
                "-i", playbook.inventory(), playbook.playbook(), "--extra-vars", "@" + vars));
        option(argv, o, "limit", "--limit");
        option(argv, o, "tags", "--tags");
        option(argv, o, "skip_tags", "--skip-tags");
        option(argv, o, "forks", "--forks");
        option(argv, o, "vault_password_file", "--vault-password-file");
        option(argv, o, "private_key", "--private-key");
        if ("true".equals(o.get("check"))) {
            argv.add("--check");
        }
        Map<String, String> env = new LinkedHashMap<>(DeploymentVariables.environment(deployment, payloadFile));
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_FORCE_COLOR", "0");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "0");
        env.put("PYTHONUNBUFFERED", "1");
        List<StepFile> files = List.of(new StepFile(vars, varsYaml(deployment, o.get("extra_vars"))),
                new StepFile(payloadFile, deployment.payloadJson()));
        return new CommandPlan(List.of(new CommandStep("ansible-playbook " + playbook.playbook(), argv, rule.folder(), env,
                files, rule.stepTimeout())));
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

    private static void option(List<String> argv, Map<String, String> o, String key, String flag) {
        String v = o.get(key);
        if (v != null) {
            argv.add(flag);
            argv.add(v);
        }
    }

    private static String varsYaml(Deployment d, String extraVars) {
        ObjectNode vars = JSON.createObjectNode();
        if (extraVars != null) {
            vars.setAll((ObjectNode) parse(extraVars));
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
            return JSON.readTree(text).isObject();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }
}
