/**
 * The configuration model. {@link io.github.autodeploy.core.config.AutodeployConfig} is the file as
 * written (strings, optional keys); {@link io.github.autodeploy.core.config.AutodeployConfig#validate()}
 * lists every problem at once, and {@link io.github.autodeploy.core.config.AutodeployConfig#resolve()}
 * turns a valid file into the typed {@link io.github.autodeploy.core.config.RobotConfig} with its
 * defaults. Loading from YAML belongs to an adapter. Pure and immutable.
 */
package io.github.autodeploy.core.config;
