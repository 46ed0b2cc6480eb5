/**
 * The configuration file: {@link io.github.autodeploy.config.ConfigFile} loads YAML or JSON into the
 * core's configuration, reporting every problem with its line and key path, and {@link
 * io.github.autodeploy.config.RobotWiring} builds a complete robot from it.
 */
package io.github.autodeploy.config;
