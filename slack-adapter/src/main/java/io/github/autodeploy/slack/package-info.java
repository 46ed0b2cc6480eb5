/**
 * Slack for Autodeploy: {@link io.github.autodeploy.slack.SlackNotifier} posts Block Kit messages to
 * incoming webhooks from its own thread, rate limited per webhook, without ever slowing a deployment.
 */
package io.github.autodeploy.slack;
