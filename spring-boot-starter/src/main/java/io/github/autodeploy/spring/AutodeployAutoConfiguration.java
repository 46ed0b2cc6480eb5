package io.github.autodeploy.spring;

import io.github.autodeploy.assembly.RobotAssembly;
import io.github.autodeploy.config.LoadedConfig;
import io.github.autodeploy.config.ServerSettings;
import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.core.plan.ExecutionPlanner;
import io.github.autodeploy.core.port.CommandRunner;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.core.port.RobotMetrics;
import io.github.autodeploy.micrometer.MicrometerRobotMetrics;
import io.github.autodeploy.servlet.DeploymentPagesServlet;
import io.github.autodeploy.servlet.PageAccess;
import io.github.autodeploy.servlet.WebhookServlet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The robot in a Spring Boot application: its configuration from {@code autodeploy.*} (the keys of
 * {@code autodeploy.yml}, validated by the project's loader), assembled as the standalone server
 * assembles it, with the application's own {@link Notifier}, {@link ExecutionPlanner} and
 * {@link CommandRunner} beans, its store in {@code store.url} or the application's {@link DataSource}
 * ({@code autodeploy-boot.use-data-source}), the {@link Autodeploy} robot as a bean, started and
 * drained with the context, and the webhook and the pages as servlets; with a {@code MeterRegistry}
 * bean, the robot's meters there, and with Boot 4's health API, the health component {@code autodeploy}.
 * Uses only API that Spring Boot 3.5 and 4.0 share, outside the nested configurations guarded by class.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration", // Boot 4
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration", // Boot 3
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration", // Boot 4
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"}) // Boot 3
@ConditionalOnClass(Autodeploy.class)
@ConditionalOnProperty(prefix = "autodeploy-boot", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AutodeployBootProperties.class)
public class AutodeployAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(AutodeployAutoConfiguration.class);

    /**
     * {@code autodeploy.*}, validated with the planners of the assembly and the application's. Without
     * {@code public_url}, links start at {@code http://localhost:<server.port><context path><pages prefix>}.
     */
    @Bean
    @ConditionalOnMissingBean
    public LoadedConfig autodeployConfig(ConfigurableEnvironment env, ObjectProvider<ExecutionPlanner> planners,
                                         AutodeployBootProperties boot) {
        List<ExecutionPlanner> kinds = new ArrayList<>(RobotAssembly.planners());
        planners.orderedStream().forEach(kinds::add);
        LoadedConfig config = EnvironmentConfig.load(env, kinds);
        if (boot.isUseDataSource() && config.robot().store().url().isPresent()) {
            throw new AutodeployConfigurationException("autodeploy.store.url is set and autodeploy-boot.use-data-source is true;"
                    + " remove one (the store is either the application's DataSource or the database of store.url)", List.of());
        }
        String pagesPrefix = boot.pagesPrefix();
        boot.checkedWebhookPath();
        String port = env.getProperty("server.port", "8080");
        if (config.server().publicUrl().isEmpty() && port.strip().equals("0")) {
            LOG.warn("server.port is 0 and autodeploy.public_url is not set: the links the robot posts to GitHub name port 0;"
                    + " set autodeploy.public_url to where people reach this application");
        }
        String context = env.getProperty("server.servlet.context-path", "");
        return config.reachedAt("http://localhost:" + port.strip() + (context.equals("/") ? "" : context) + pagesPrefix);
    }

    /** The robot and what serves it, assembled; closed by {@link RobotLifecycle}. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public RobotAssembly.Assembled autodeployAssembly(LoadedConfig config, AutodeployBootProperties boot,
                                                      ObjectProvider<Notifier> notifiers,
                                                      ObjectProvider<ExecutionPlanner> planners,
                                                      ObjectProvider<CommandRunner> runners,
                                                      ObjectProvider<DataSource> dataSources,
                                                      ObjectProvider<RobotMetrics> metricsBeans) {
        List<Notifier> own = notifiers.orderedStream().toList();
        FanOutNotifier fanOut = new FanOutNotifier(own);
        Consumer<Autodeploy.Builder> customize = b -> {
            planners.orderedStream().forEach(b::planner);
            CommandRunner runner = runners.getIfUnique();
            if (runner != null) {
                b.commandRunner(runner);
            }
            if (!own.isEmpty()) {
                b.notifier(fanOut);
            }
        };
        RobotMetrics metrics = metricsBeans.getIfUnique(RobotMetrics::none);
        RobotAssembly.Assembled assembled;
        if (boot.isUseDataSource()) {
            DataSource dataSource = dataSources.getIfUnique();
            if (dataSource == null) {
                throw new AutodeployConfigurationException("autodeploy-boot.use-data-source is true, but the application has "
                        + "no single DataSource bean; configure spring.datasource.* or set use-data-source to false", List.of());
            }
            assembled = RobotAssembly.assemble(config, dataSource, metrics, customize);
        } else {
            assembled = RobotAssembly.assemble(config, metrics, customize);
        }
        fanOut.configured(assembled.slack());
        LOG.info("autodeploy: {} rule(s), store {}", config.robot().rules().size(), assembled.store().describe());
        return assembled;
    }

    /** Closes the assembled robot once: when the context stops, or when it fails after assembling. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public RobotLifecycle autodeployLifecycle(RobotAssembly.Assembled assembled) {
        return new RobotLifecycle(assembled);
    }

    /** Starts the robot before the web server listens. */
    @Bean
    public SmartLifecycle autodeployStart(RobotLifecycle lifecycle) {
        return lifecycle.starting();
    }

    /** Drains the robot before the web server goes away. */
    @Bean
    public SmartLifecycle autodeployDrain(RobotLifecycle lifecycle) {
        return lifecycle.draining();
    }

    /** The robot, for the application to use (its deployments, cancel). Closed by {@link RobotLifecycle}, not here. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public Autodeploy autodeploy(RobotAssembly.Assembled assembled) {
        return assembled.robot();
    }

    /** The webhook and the pages, as the standalone server serves them, at {@code autodeploy-boot.*-path}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(ServletRegistrationBean.class)
    public static class Servlets {
        @Bean
        public ServletRegistrationBean<WebhookServlet> autodeployWebhookServlet(RobotAssembly.Assembled a,
                                                                                AutodeployBootProperties boot) {
            ServletRegistrationBean<WebhookServlet> bean = new ServletRegistrationBean<>(new WebhookServlet(a.robot(),
                    a.verifier(), a.parser(), a.config().server().maxBodyBytes()), boot.checkedWebhookPath());
            bean.setName("autodeployWebhook");
            // Async lets the webhook read slow bodies without holding a request thread.
            bean.setAsyncSupported(true);
            return bean;
        }

        @Bean
        public ServletRegistrationBean<DeploymentPagesServlet> autodeployPagesServlet(RobotAssembly.Assembled a,
                                                                                      AutodeployBootProperties boot) {
            ServerSettings s = a.config().server();
            PageAccess access = s.pagesOpen() ? PageAccess.open()
                    : PageAccess.users(s.credentials());
            DeploymentPagesServlet pages = new DeploymentPagesServlet(a.robot(), access, a.secrets(),
                    RobotAssembly.webUrl(a.config().robot().githubApiUrl()));
            ServletRegistrationBean<DeploymentPagesServlet> bean = new ServletRegistrationBean<>(pages, boot.getPagesPath());
            bean.setName("autodeployPages");
            bean.setAsyncSupported(true);
            return bean;
        }
    }

    /** The robot's meters in the application's {@link MeterRegistry} (Actuator's, say), unless it has its own {@link RobotMetrics}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry",
            "io.github.autodeploy.micrometer.MicrometerRobotMetrics"})
    public static class Metrics {
        @Bean
        @ConditionalOnBean(MeterRegistry.class)
        @ConditionalOnMissingBean(RobotMetrics.class)
        public RobotMetrics autodeployMetrics(MeterRegistry registry) {
            return new MicrometerRobotMetrics(registry);
        }
    }

    /**
     * The health component {@code autodeploy} (bean {@code autodeployHealthIndicator}) with Spring Boot 4's
     * health API; this class names that API only when it is on the classpath, so Boot 3.5 starts without it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    public static class HealthIndicators {
        @Bean
        @ConditionalOnMissingBean(name = "autodeployHealthIndicator")
        public AutodeployHealthIndicator autodeployHealthIndicator(Autodeploy robot) {
            return new AutodeployHealthIndicator(robot);
        }
    }
}
