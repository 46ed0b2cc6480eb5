/**
 * Context gating: whether what CI reports for a commit allows deploying it now, later, or never.
 * Pure and thread-safe.
 */
package io.github.autodeploy.core.gate;
