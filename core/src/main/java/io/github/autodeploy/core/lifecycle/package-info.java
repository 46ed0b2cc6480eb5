/**
 * The deployment state machine: which status may follow which, and the status update each
 * transition posts to GitHub. Pure and immutable.
 */
package io.github.autodeploy.core.lifecycle;
