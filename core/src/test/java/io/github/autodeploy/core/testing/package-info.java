/**
 * Hand-written fakes of every port and the abstract contract tests that fakes and real adapters
 * pass; published in core's test-jar for the adapter modules.
 */
package io.github.autodeploy.core.testing;
