/**
 * A load harness for the webhook's accept path: the real robot behind its servlet in an embedded Tomcat,
 * a fake GitHub, signed deliveries at a fixed rate and from concurrent senders. Run
 * {@link io.github.autodeploy.benchmarks.load.AcceptLoad} (its javadoc and {@code benchmarks/README.md}
 * give the command).
 */
package io.github.autodeploy.benchmarks.load;
