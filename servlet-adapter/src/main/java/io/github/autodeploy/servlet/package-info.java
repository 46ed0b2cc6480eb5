/**
 * Jakarta Servlet 6 endpoints for Autodeploy: {@link io.github.autodeploy.servlet.WebhookServlet}
 * takes GitHub's deliveries and {@link io.github.autodeploy.servlet.DeploymentPagesServlet} shows
 * deployments and their live logs. Both mount by code or by {@code web.xml} in any Servlet 6
 * container (Tomcat 10.1 and 11, Jetty 12). {@link io.github.autodeploy.servlet.PageAccess} says who
 * is asking and whether their role allows an action; {@link io.github.autodeploy.servlet.FormTokens}
 * makes and checks the CSRF tokens of forms.
 */
package io.github.autodeploy.servlet;
