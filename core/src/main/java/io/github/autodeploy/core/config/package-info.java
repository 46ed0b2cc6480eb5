/**
 * The configuration model, in two layers whose names say which is which. The {@code Raw*} records
 * ({@link io.github.autodeploy.core.config.RawConfig}, {@link io.github.autodeploy.core.config.RawRepo},
 * {@link io.github.autodeploy.core.config.RawRule}, ...) are the file as written: strings, optional
 * keys, and the keys core does not know kept as opaque options for the execution kinds that claim
 * them. {@link io.github.autodeploy.core.config.RawConfig#validate(java.util.List)} lists every
 * problem at once, and {@link io.github.autodeploy.core.config.RawConfig#resolve(java.util.List)}
 * turns a valid file into the resolved {@link io.github.autodeploy.core.config.RobotConfig} and its
 * {@link io.github.autodeploy.core.config.EnvironmentRule}s, with every default applied. Loading from
 * YAML belongs to an adapter. Pure and immutable.
 */
package io.github.autodeploy.core.config;
