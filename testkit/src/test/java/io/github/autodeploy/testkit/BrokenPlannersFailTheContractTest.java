package io.github.autodeploy.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.config.ConfigProblem;
import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.plan.CommandPlan;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.plan.CommandsPlanner;
import io.github.autodeploy.core.plan.DeploymentVariables;
import io.github.autodeploy.core.plan.ExecutionPlanner;
import io.github.autodeploy.core.plan.StepVerdict;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planner contract catches the mistakes it is there for: each broken planner here fails it. */
class BrokenPlannersFailTheContractTest {
    @TempDir
    Path dir;

    /** The commands planner with its plan (or its judgement) spoilt. */
    private static final class Broken implements ExecutionPlanner {
        private final ExecutionPlanner real = new CommandsPlanner();
        private final UnaryOperator<CommandStep> spoil;
        private final boolean judgesEverythingAFailure;

        Broken(UnaryOperator<CommandStep> spoil, boolean judgesEverythingAFailure) {
            this.spoil = spoil;
            this.judgesEverythingAFailure = judgesEverythingAFailure;
        }

        @Override
        public String kind() {
            return real.kind();
        }

        @Override
        public boolean claims(String key) {
            return real.claims(key);
        }

        @Override
        public List<ConfigProblem> validate(String keyPath, Map<String, Object> options) {
            return real.validate(keyPath, options);
        }

        @Override
        public CommandPlan plan(EnvironmentRule rule, Deployment deployment, String scratchDirectory) {
            return new CommandPlan(real.plan(rule, deployment, scratchDirectory).steps().stream().map(spoil).toList());
        }

        @Override
        public StepVerdict judge(CommandStep step, StepResult result, List<String> outputTail) {
            return judgesEverythingAFailure ? new StepVerdict(DeploymentState.FAILURE, "step '" + step.name() + "' failed")
                    : real.judge(step, result, outputTail);
        }
    }

    private ExecutionPlannerContract contract(ExecutionPlanner planner) {
        ExecutionPlannerContract contract = new ExecutionPlannerContract() {
            @Override
            protected ExecutionPlanner planner() {
                return planner;
            }

            @Override
            protected EnvironmentRule ruleFor(Deployment deployment) {
                return EnvironmentRule.commands(deployment.repository(), deployment.environment(), "/srv/app",
                        List.of(List.of("deploy", "${ref}", "${environment}", "${task}")), RequiredContexts.none());
            }
        };
        contract.dir = dir;
        return contract;
    }

    private static CommandStep withArgv(CommandStep s, List<String> argv) {
        return new CommandStep(s.name(), argv, s.workingDirectory(), s.environment(), s.files(), s.timeout());
    }

    @Test
    void aPlannerThatSplitsValuesOnSpacesFails() {
        ExecutionPlannerContract c = contract(new Broken(s -> withArgv(s,
                s.argv().stream().flatMap(a -> Arrays.stream(a.split(" "))).toList()), false));
        assertThatThrownBy(c::deploymentValuesNeverChangeTheShapeOfArgv).isInstanceOf(AssertionError.class);
    }

    @Test
    void aPlannerThatPutsThePayloadInArgvFails() {
        ExecutionPlannerContract c = contract(new Broken(s -> withArgv(s,
                concat(s.argv(), s.environment().get(DeploymentVariables.PAYLOAD_ENV))), false));
        assertThatThrownBy(c::thePayloadNeverReachesArgv).isInstanceOf(AssertionError.class);
    }

    @Test
    void aPlannerThatJudgesACancelledStepAFailureFails() {
        ExecutionPlannerContract c = contract(new Broken(UnaryOperator.identity(), true));
        assertThatThrownBy(c::aCancelledStepIsAnErrorNamingTheStep).isInstanceOf(AssertionError.class);
        assertThatThrownBy(c::aStepThatDidNotStartIsAnErrorNamingTheStep).isInstanceOf(AssertionError.class);
    }

    private static List<String> concat(List<String> argv, String last) {
        return Stream.concat(argv.stream(), Stream.of(last)).toList();
    }
}
