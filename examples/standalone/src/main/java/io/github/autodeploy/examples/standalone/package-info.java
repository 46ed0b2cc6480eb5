/** The standalone robot: an executable jar with embedded Tomcat and the serve, check-config and send commands. */
package io.github.autodeploy.examples.standalone;
