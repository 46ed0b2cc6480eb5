/**
 * The test kit for Autodeploy's ports, published as {@code autodeploy-testkit} for adapter authors to
 * use in test scope: an abstract contract test per port ({@link
 * io.github.autodeploy.testkit.NotifierContract}, {@link io.github.autodeploy.testkit.DeploymentApiContract},
 * {@link io.github.autodeploy.testkit.CommitChecksContract}, {@link
 * io.github.autodeploy.testkit.DeploymentStoreContract}, {@link
 * io.github.autodeploy.testkit.CommandRunnerContract}, {@link
 * io.github.autodeploy.testkit.ExecutionPlannerContract}) that the built-in adapters and the fakes
 * pass, hand-written fakes of the ports for testing code that uses them, and the {@link
 * io.github.autodeploy.testkit.Values} they share. To check an adapter, extend the contract of its
 * port with a JUnit 5 test class and implement its abstract factory methods; every inherited test
 * then runs against the adapter.
 */
package io.github.autodeploy.testkit;
