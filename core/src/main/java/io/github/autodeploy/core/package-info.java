/**
 * Autodeploy's core: the root exception; the domain, ports, engine and JDK-only defaults live in
 * the sub-packages.
 */
package io.github.autodeploy.core;
