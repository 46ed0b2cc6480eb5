/**
 * JDK-only default adapters: a local process runner and an in-memory store, enough to run the robot
 * on one machine with nothing else installed.
 */
package io.github.autodeploy.core.local;
