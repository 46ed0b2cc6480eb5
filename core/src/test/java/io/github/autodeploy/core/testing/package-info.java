/**
 * Project-internal test helpers (third-party fixtures, a clock tests move), shared with the other
 * modules through core's test-jar. The published fakes and contract tests are in {@code
 * autodeploy-testkit}.
 */
package io.github.autodeploy.core.testing;
