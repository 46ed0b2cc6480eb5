/**
 * Jakarta Servlet 6 endpoints for Autodeploy: {@link io.github.autodeploy.servlet.WebhookServlet}
 * takes GitHub's deliveries and {@link io.github.autodeploy.servlet.DeploymentPagesServlet} shows
 * deployments and their live logs. Both mount by code or by {@code web.xml} in any Servlet 6
 * container (Tomcat 10.1 and 11, Jetty 12).
 */
package io.github.autodeploy.servlet;
