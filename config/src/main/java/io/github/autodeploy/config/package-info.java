/**
 * The configuration file: {@link io.github.autodeploy.config.ConfigFile} loads YAML or JSON into
 * core's raw configuration records, reporting every problem with its line and key path, and resolves
 * them with the execution kinds it is given. Depends only on core and Jackson; building a robot from
 * the result is the assembly module's work.
 */
package io.github.autodeploy.config;
