/**
 * Command planning: from a rule and a deployment, the argv lists, folder, environment, files and
 * timeout of each step. Values reach argv only as whole placeholder values inside one element; the
 * deployment payload only through an environment variable and a file. Pure and thread-safe.
 */
package io.github.autodeploy.core.plan;
