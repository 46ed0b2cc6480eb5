/**
 * The robot's metrics on Micrometer: {@link io.github.autodeploy.micrometer.MicrometerRobotMetrics}
 * implements core's {@code RobotMetrics} port on any {@code MeterRegistry}.
 */
package io.github.autodeploy.micrometer;
