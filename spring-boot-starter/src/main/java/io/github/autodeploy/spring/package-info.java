/**
 * The Spring Boot starter: auto-configuration that assembles the robot from {@code autodeploy.*}
 * (the keys of {@code autodeploy.yml}, loaded by the project's loader), exposes it as a bean and
 * serves its webhook and pages as servlets; the starter's own settings are under {@code autodeploy-boot.*}.
 */
package io.github.autodeploy.spring;
