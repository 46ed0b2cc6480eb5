/**
 * Small, realistic GitHub webhook payloads, signed as GitHub signs them: what the standalone {@code send}
 * command delivers and what the project's own tests feed the robot. Not needed to run the robot.
 */
package io.github.autodeploy.github.sample;
