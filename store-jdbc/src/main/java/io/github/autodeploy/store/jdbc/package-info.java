/**
 * A durable {@link io.github.autodeploy.core.store.DeploymentStore} on JDBC: SQLite for one process
 * (the embedded default), PostgreSQL for several nodes. {@link io.github.autodeploy.store.jdbc.JdbcDeploymentStore}
 * is the entry point; everything else here is package-private.
 */
package io.github.autodeploy.store.jdbc;
