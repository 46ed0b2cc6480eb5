/** JMH benchmarks of the engine's hot paths. */
package io.github.autodeploy.benchmarks;
