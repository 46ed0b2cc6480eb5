/** An example of writing your own adapter: a notifier that appends JSON lines to a file. */
package io.github.autodeploy.examples.notifier;
