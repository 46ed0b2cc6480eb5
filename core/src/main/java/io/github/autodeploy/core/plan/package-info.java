/**
 * Command planning: the {@link io.github.autodeploy.core.plan.ExecutionPlanner} extension point, its
 * vocabulary (plans, steps, files, verdicts) and core's own planner for {@code commands}. From a rule
 * and a deployment come the argv lists, folder, environment, files and timeout of each step. Values
 * reach argv only as whole placeholder values inside one element; the deployment payload only through
 * an environment variable and a file. Pure and thread-safe; depends only on {@code model} and
 * {@code config}, so the I/O ports in {@code port} can use its types without a cycle.
 */
package io.github.autodeploy.core.plan;
