package io.github.autodeploy.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own settings, under {@code autodeploy-boot.*}: how the robot sits in a Spring
 * application (on or off, its servlet paths, whether its store is the application's DataSource).
 * The robot's settings are under {@code autodeploy.*}, with the keys of {@code autodeploy.yml}; the two
 * prefixes never mix, so the loader sees no key of the starter. Bound by Spring; not thread-safe.
 */
@ConfigurationProperties("autodeploy-boot")
public class AutodeployBootProperties {
    /** The robot's links are {@code <public_url>/deployments/...}, so the pages path must end so. */
    static final String PAGES_SUFFIX = "/deployments/*";

    /** Whether the starter assembles the robot at all. */
    private boolean enabled = true;
    /** Where GitHub delivers webhooks, as the standalone server has it. */
    private String webhookPath = "/hooks/github";
    /** The deployment pages; must end in {@code /deployments/*}, optionally behind a prefix. */
    private String pagesPath = PAGES_SUFFIX;
    /** Keep deployments in the application's DataSource (SQLite or PostgreSQL) instead of {@code autodeploy.store.url}. */
    private boolean useDataSource = false;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getWebhookPath() {
        return webhookPath;
    }

    public void setWebhookPath(String webhookPath) {
        this.webhookPath = webhookPath;
    }

    public String getPagesPath() {
        return pagesPath;
    }

    public void setPagesPath(String pagesPath) {
        this.pagesPath = pagesPath;
    }

    public boolean isUseDataSource() {
        return useDataSource;
    }

    public void setUseDataSource(boolean useDataSource) {
        this.useDataSource = useDataSource;
    }

    /** The path before {@code /deployments/*} (empty by default), checked: what the robot's links need. */
    String pagesPrefix() {
        if (!pagesPath.startsWith("/") || !pagesPath.endsWith(PAGES_SUFFIX)) {
            throw new AutodeployConfigurationException("autodeploy-boot.pages-path is \"" + pagesPath
                    + "\"; it must start with / and end in " + PAGES_SUFFIX + " (the robot links to <public_url>/deployments/...), "
                    + "such as /ops/deployments/*", java.util.List.of());
        }
        return pagesPath.substring(0, pagesPath.length() - PAGES_SUFFIX.length());
    }

    /** The webhook path, checked: an exact servlet mapping. */
    String checkedWebhookPath() {
        if (!webhookPath.startsWith("/") || webhookPath.contains("*") || webhookPath.length() < 2) {
            throw new AutodeployConfigurationException("autodeploy-boot.webhook-path is \"" + webhookPath
                    + "\"; write an exact path starting with /, such as /hooks/github", java.util.List.of());
        }
        return webhookPath;
    }
}
