/**
 * Time for the whole robot: the one {@link io.github.autodeploy.core.time.TimeSource} that everything
 * reads wall and monotonic time from (and measures delays by), and the one
 * {@link io.github.autodeploy.core.time.RetryPolicy} that says how long to wait before trying again.
 * The bottom of core: it depends on nothing else in the library.
 */
package io.github.autodeploy.core.time;
