/**
 * What arrives from GitHub, already parsed and validated: the sealed {@link
 * io.github.autodeploy.core.event.WebhookEvent} and one record per kind of event the robot acts
 * on. Immutable and thread-safe; pure.
 */
package io.github.autodeploy.core.event;
