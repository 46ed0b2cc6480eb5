/**
 * Value records of the domain. Each validates in its compact constructor and quotes the rejected
 * value in its message; all are immutable and thread-safe. Pure: no I/O, no threads, no clock.
 */
package io.github.autodeploy.core.model;
