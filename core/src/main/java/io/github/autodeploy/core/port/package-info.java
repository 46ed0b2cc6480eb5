/**
 * The interfaces adapters implement: small, named after a capability, no checked exceptions. Each
 * javadoc states what may be absent, what is thrown and how thread-safe an implementation must be.
 */
package io.github.autodeploy.core.port;
