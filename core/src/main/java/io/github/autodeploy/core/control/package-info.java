/**
 * How people steer the robot: named users and their roles, environment locks, deploy windows and
 * freezes, and the decision whether a deployment may start now. Depends only on {@code model}.
 */
package io.github.autodeploy.core.control;
