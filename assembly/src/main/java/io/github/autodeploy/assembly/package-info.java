/**
 * Assembly of a running robot: {@link io.github.autodeploy.assembly.RobotAssembly} loads a
 * configuration file with every execution kind it provides (so {@code check-config} validates
 * Ansible keys too) and builds the robot from core and the GitHub, Slack and Ansible adapters. The
 * one module that knows them all; the standalone server, the WAR and framework integrations use it.
 */
package io.github.autodeploy.assembly;
