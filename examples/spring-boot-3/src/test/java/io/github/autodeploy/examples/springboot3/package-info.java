/** A check that the starter, built against Spring Boot 4, starts on Spring Boot 3.5. */
package io.github.autodeploy.examples.springboot3;
