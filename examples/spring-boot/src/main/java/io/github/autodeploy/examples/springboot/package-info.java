/** A Spring Boot application with the Autodeploy starter, and a notifier of its own. */
package io.github.autodeploy.examples.springboot;
