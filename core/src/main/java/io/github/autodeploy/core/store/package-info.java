/**
 * What the robot remembers: the {@link io.github.autodeploy.core.store.DeploymentStore} port and the
 * records it keeps (deployments with their history and steps, log chunks). The in-memory store is in
 * {@code local}; a durable one lives in its own module. Depends only on {@code model} and
 * {@code lifecycle}.
 */
package io.github.autodeploy.core.store;
