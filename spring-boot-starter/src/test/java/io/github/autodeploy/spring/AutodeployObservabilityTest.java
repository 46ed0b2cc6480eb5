package io.github.autodeploy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.assembly.RobotAssembly;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.port.RobotMetrics;
import io.github.autodeploy.github.sample.SampleWebhooks;
import io.github.autodeploy.micrometer.MicrometerRobotMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class AutodeployObservabilityTest {
    private static final String SECRET = "s3cret";
    private static final String[] VALID = {
            "autodeploy.github.webhook_secret=" + SECRET,
            "autodeploy.repos.example/app.commands[0][0]=true",
            "autodeploy.repos.example/app.folder=" + System.getProperty("java.io.tmpdir"),
    };
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AutodeployAutoConfiguration.class)).withPropertyValues(VALID);
    @TempDir
    Path dir;

    @Test
    void aSignedDeliveryIsCountedInTheApplicationsMeterRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(MicrometerRobotMetrics.class);
            RobotAssembly.Assembled a = context.getBean(RobotAssembly.Assembled.class);
            byte[] body = SampleWebhooks.body("ping", Map.of());
            // The webhook servlet's path once it has the body: verify the signature, parse, hand to the robot.
            assertThat(a.verifier().verify(body, Optional.of(SampleWebhooks.signature(SECRET, body)), Optional.empty())).isTrue();
            a.robot().handle(DeliveryId.of("72d3162e-cc78-11e3-81ab-4c9367dc0958"), a.parser().parse("ping", "application/json", body));

            Counter deliveries = context.getBean(MeterRegistry.class).find(MicrometerRobotMetrics.WEBHOOK_DELIVERIES)
                    .tag("event", "ping").counter();
            assertThat(deliveries).isNotNull();
            assertThat(deliveries.count()).isEqualTo(1.0);
        });
    }

    @Test
    void withoutAMeterRegistryOrMicrometerTheRobotReportsNowhereAndStillStarts() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RobotMetrics.class)
                .hasSingleBean(RobotAssembly.Assembled.class));
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withClassLoader(new FilteredClassLoader(MicrometerRobotMetrics.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RobotMetrics.class));
    }

    @Test
    void theHealthIndicatorIsUpWithAReachableStoreAndDownWithItsDetailsWhenTheStoreIsNot() {
        SwitchableDataSource database = new SwitchableDataSource(new DriverManagerDataSource("jdbc:sqlite:" + dir.resolve("app.db")));
        runner.withPropertyValues("autodeploy-boot.use-data-source=true")
                .withBean(DataSource.class, () -> database)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HealthIndicator indicator = context.getBean("autodeployHealthIndicator", HealthIndicator.class);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
                    assertThat(indicator.health().getDetails()).containsEntry("storeReachable", true)
                            .containsEntry("recovered", true).containsEntry("draining", false).containsEntry("queued", 0);

                    database.goDown();
                    Health down = indicator.health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(down.getDetails()).containsEntry("storeReachable", false).containsEntry("recovered", true)
                            .containsEntry("draining", false).containsEntry("queued", 0)
                            .doesNotContainKey("githubRateLimitRemaining");
                    assertThat(down.getDetails().values()).allSatisfy(v -> assertThat(v.toString())
                            .doesNotContain(SECRET).doesNotContain("jdbc:").doesNotContain("http"));
                });
    }

    @Test
    void withoutBoot4sHealthApiThereIsNoIndicatorAndTheRobotStillStarts() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RobotAssembly.Assembled.class)
                        .doesNotHaveBean("autodeployHealthIndicator"));
    }
}
