package io.github.autodeploy.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InlineScriptPlaceholdersTest {

    private static List<ConfigProblem> validate(List<String> command) {
        RawRule rule = RawRule.builder().folder("/srv/app").commands(command).build();
        return new RawConfig(RawGitHub.of("ghp_token", "s3cret"), Optional.empty(), Optional.empty(),
                Map.of("octo/app", RawRepo.of(rule)), RawEngine.defaults()).validate();
    }

    @Test
    void aPlaceholderInsideTheScriptOfShDashCIsRefusedWithTheSafeWay() {
        assertThat(validate(List.of("sh", "-c", "echo deploying ${ref}"))).singleElement().hasToString(
                "repos.octo/app.commands[0][2]: puts ${ref} into the code that sh runs, where a value holding a quote, ; "
                        + "or $(...) would run as code; read the environment variable AUTODEPLOY_REF instead (in a shell: "
                        + "\"$AUTODEPLOY_REF\", quoted), or pass ${ref} as an argument after the script: "
                        + "[sh, -c, 'deploy \"$1\"', sh, \"${ref}\"]");
    }

    @Test
    void everyPlaceholderInTheScriptIsReported() {
        assertThat(validate(List.of("bash", "-c", "deploy ${sha} ${task} ${sha}"))).extracting(ConfigProblem::message)
                .hasSize(2).anySatisfy(m -> assertThat(m).contains("AUTODEPLOY_SHA"))
                .anySatisfy(m -> assertThat(m).contains("AUTODEPLOY_TASK"));
    }

    @Test
    void inlineCodeOfEveryKnownInterpreterIsChecked() {
        Map<List<String>, Integer> scripts = Map.ofEntries(
                Map.entry(List.of("bash", "-lc", "make ${task}"), 2),
                Map.entry(List.of("/bin/dash", "-e", "-c", "make ${task}"), 3),
                Map.entry(List.of("zsh", "+x", "-c", "make ${task}"), 3),
                Map.entry(List.of("ksh", "-o", "errexit", "-c", "make ${task}"), 4),
                Map.entry(List.of("sudo", "-u", "app", "bash", "-c", "make ${task}"), 5),
                Map.entry(List.of("ssh", "web1", "sh", "-c", "make ${task}"), 4),
                Map.entry(List.of("env", "A=1", "sh", "-c", "make ${task}"), 4),
                Map.entry(List.of("python3", "-c", "print('${task}')"), 2),
                Map.entry(List.of("python3.12", "-cprint('${task}')"), 1),
                Map.entry(List.of("python", "-u", "-c", "print('${task}')"), 3),
                Map.entry(List.of("perl", "-e", "print '${task}'"), 2),
                Map.entry(List.of("perl", "-ne", "print '${task}'"), 2),
                Map.entry(List.of("ruby", "-e", "puts '${task}'"), 2),
                Map.entry(List.of("node", "-e", "console.log('${task}')"), 2),
                Map.entry(List.of("node", "--eval=console.log('${task}')"), 1),
                Map.entry(List.of("php", "-r", "echo '${task}';"), 2),
                Map.entry(List.of("lua", "-e", "print('${task}')"), 2));
        scripts.forEach((argv, index) -> assertThat(validate(argv)).as("%s", argv).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("repos.octo/app.commands[0][" + index + "]")));
    }

    @Test
    void placeholdersAsDataStayAllowed() {
        List<List<String>> safe = List.of(
                List.of("sh", "-c", "deploy \"$AUTODEPLOY_REF\""),
                List.of("sh", "-c", "deploy \"$1\" \"$2\"", "sh", "${ref}", "${task}"),
                List.of("bash", "deploy.sh", "${ref}"),
                List.of("bash", "-e", "deploy.sh", "${ref}"),
                List.of("python3", "deploy.py", "--sha", "${sha}"),
                List.of("python3", "-m", "deploy", "-c", "${task}"),
                List.of("perl", "deploy.pl", "-e", "${task}"),
                List.of("git", "checkout", "--force", "${sha}"),
                List.of("echo", "sh", "-c", "deploying"));
        safe.forEach(argv -> assertThat(validate(argv)).as("%s", argv).isEmpty());
    }
}
