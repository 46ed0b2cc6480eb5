/** The robot as a WAR: a listener wires it from a configuration file named by the environment or web.xml. */
package io.github.autodeploy.examples.war;
