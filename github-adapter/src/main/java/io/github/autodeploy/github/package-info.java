/**
 * GitHub for Autodeploy: {@link io.github.autodeploy.github.WebhookVerifier} checks deliveries'
 * signatures, {@link io.github.autodeploy.github.WebhookParser} turns payloads into core events, and
 * {@link io.github.autodeploy.github.GitHubClient} implements the deployments and checks ports on
 * GitHub's REST API. Everything else here is package-private.
 */
package io.github.autodeploy.github;
