package io.github.autodeploy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.assembly.RobotAssembly;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.plan.EchoPlanner;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class AutodeployAutoConfigurationTest {
    private static final String[] VALID = {
            "autodeploy.github.webhook_secret=s3cret",
            "autodeploy.repos.example/app.commands[0][0]=true",
            "autodeploy.repos.example/app.folder=" + System.getProperty("java.io.tmpdir"),
    };
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AutodeployAutoConfiguration.class));
    @TempDir
    Path dir;

    @Test
    void theRobotOfTheAutodeployPropertiesIsABeanAndRunsWhileTheContextDoes() {
        runner.withPropertyValues(VALID).withPropertyValues("autodeploy.engine.workers=3").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Autodeploy.class);
            Autodeploy robot = context.getBean(Autodeploy.class);
            assertThat(robot.config().engine().workers()).isEqualTo(3);
            assertThat(robot.config().rules()).singleElement()
                    .satisfies(r -> assertThat(r.repository().toString()).isEqualTo("example/app"));
            assertThat(robot.config().publicUrl()).isEqualTo("http://localhost:8080");
            assertThat(context.getBean(RobotLifecycle.class).isRunning()).isTrue();
        });
    }

    @Test
    void aMisspelledKeyFailsTheContextWithItsPropertyNameAndTheKeyItMeant() {
        runner.withPropertyValues(VALID).withPropertyValues("autodeploy.repos.example/app.comands[0]=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(AutodeployConfigurationException.class)
                    .hasMessageContaining("autodeploy.repos.example/app.comands:").hasMessageContaining("commands");
        });
    }

    @Test
    void aBadValueAndAMissingVariableAreReportedTogetherByKeyPath() {
        runner.withPropertyValues(VALID).withPropertyValues("autodeploy.engine.workers=many",
                "autodeploy.github.token=${NO_SUCH_VARIABLE_FOR_AUTODEPLOY}").run(context -> {
            assertThat(context).hasFailed();
            AutodeployConfigurationException e = (AutodeployConfigurationException) rootCause(context.getStartupFailure());
            assertThat(e.problems()).hasSize(2);
            assertThat(e.getMessage()).contains("2 problems in autodeploy.* of the Spring environment")
                    .contains("autodeploy.engine.workers: is \"many\"; write a whole number")
                    .contains("autodeploy.github.token: environment variable NO_SUCH_VARIABLE_FOR_AUTODEPLOY is not set");
        });
    }

    @Test
    void variablesInValuesAreReadFromTheSpringEnvironment() {
        runner.withPropertyValues(VALID).withPropertyValues("autodeploy.public_url=${DEPLOY_HOST:-https://fallback.example.com}",
                "DEPLOY_HOST=https://deploy.example.com").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Autodeploy.class).config().publicUrl()).isEqualTo("https://deploy.example.com");
        });
    }

    @Test
    void anApplicationsPlannerBeanClaimsAndValidatesItsOwnKeys() {
        runner.withUserConfiguration(OwnPorts.class)
                .withPropertyValues("autodeploy.github.webhook_secret=s3cret", "autodeploy.repos.example/app.echo_text=hello",
                        "autodeploy.repos.example/app.folder=" + System.getProperty("java.io.tmpdir"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Autodeploy robot = context.getBean(Autodeploy.class);
                    assertThat(robot.config().rules().get(0).execution()).isInstanceOfSatisfying(Execution.Planned.class,
                            p -> assertThat(p.kind()).isEqualTo("echo"));
                });
        runner.withUserConfiguration(OwnPorts.class)
                .withPropertyValues("autodeploy.github.webhook_secret=s3cret", "autodeploy.repos.example/app.echo_times=12",
                        "autodeploy.repos.example/app.echo_text=hello",
                        "autodeploy.repos.example/app.folder=" + System.getProperty("java.io.tmpdir"))
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("autodeploy.repos.example/app.echo_times: is \"12\"; write a number from 1 to 9"));
    }

    @Test
    void theApplicationsDataSourceKeepsTheDeploymentsWhenAsked() {
        runner.withPropertyValues(VALID).withPropertyValues("autodeploy-boot.use-data-source=true")
                .withBean(DataSource.class, () -> new DriverManagerDataSource("jdbc:sqlite:" + dir.resolve("app.db")))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    RobotAssembly.Assembled a = context.getBean(RobotAssembly.Assembled.class);
                    assertThat(a.store().describe()).isEqualTo("the host application's DataSource");
                    assertThat(a.store().store().durable()).isTrue();
                });
    }

    @Test
    void askingForTheDataSourceWithoutOneOrBesideAStoreUrlFailsClearly() {
        runner.withPropertyValues(VALID).withPropertyValues("autodeploy-boot.use-data-source=true").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("no single DataSource bean"));
        runner.withPropertyValues(VALID).withPropertyValues("autodeploy-boot.use-data-source=true",
                "autodeploy.store.url=jdbc:sqlite:" + dir.resolve("x.db")).run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("remove one"));
    }

    @Test
    void switchedOffTheStarterAssemblesNothing() {
        runner.withPropertyValues("autodeploy-boot.enabled=false", "autodeploy.no_such_key=1").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(Autodeploy.class);
        });
    }

    @Test
    void theWebhookAndThePagesAreServletsAtTheConfiguredPathsAndTheLinksFollowThem() {
        new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(AutodeployAutoConfiguration.class))
                .withPropertyValues(VALID).withPropertyValues("autodeploy-boot.webhook-path=/github/events",
                        "autodeploy-boot.pages-path=/ops/deployments/*", "server.port=9090")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(ServletRegistrationBean.class).values())
                            .extracting(r -> List.copyOf(r.getUrlMappings()))
                            .containsExactlyInAnyOrder(List.of("/github/events"), List.of("/ops/deployments/*"));
                    assertThat(context.getBean(Autodeploy.class).config().publicUrl()).isEqualTo("http://localhost:9090/ops");
                });
    }

    @Test
    void aPagesPathTheLinksCannotReachIsRefused() {
        new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(AutodeployAutoConfiguration.class))
                .withPropertyValues(VALID).withPropertyValues("autodeploy-boot.pages-path=/runs/*")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("autodeploy-boot.pages-path is \"/runs/*\"; it must start with / and end in /deployments/*"));
    }

    @Test
    void closingTheContextClosesTheRobot() {
        runner.withPropertyValues(VALID).run(context -> {
            RobotLifecycle lifecycle = context.getBean(RobotLifecycle.class);
            context.close();
            assertThat(lifecycle.isRunning()).isFalse();
        });
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPorts {
        @Bean
        EchoPlanner echoPlanner() {
            return new EchoPlanner();
        }
    }
}
