package io.github.autodeploy.spring;

import io.github.autodeploy.core.engine.Autodeploy;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The robot's {@link Autodeploy#health()} as Spring Boot 4's health component {@code autodeploy}: UP
 * when it is ready for work (store reachable, recovery done, not draining), DOWN otherwise, with those
 * facts, the deployments waiting and GitHub's rate-limit remaining as details; never a secret or a
 * URL. Thread-safe.
 */
public final class AutodeployHealthIndicator implements HealthIndicator {
    private final Autodeploy robot;

    public AutodeployHealthIndicator(Autodeploy robot) {
        this.robot = Objects.requireNonNull(robot, "robot");
    }

    @Override
    public Health health() {
        io.github.autodeploy.core.engine.Health h = robot.health();
        Health.Builder b = h.ready() ? Health.up() : Health.down();
        b.withDetail("storeReachable", h.storeReachable())
                .withDetail("recovered", h.recovered())
                .withDetail("draining", h.draining())
                .withDetail("queued", h.queued());
        h.githubRateLimitRemaining().ifPresent(remaining -> b.withDetail("githubRateLimitRemaining", remaining));
        return b.build();
    }
}
