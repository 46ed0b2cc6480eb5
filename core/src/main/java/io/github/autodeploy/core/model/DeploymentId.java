package io.github.autodeploy.core.model;

/** The numeric id GitHub gives a deployment; always positive. */
public record DeploymentId(long value) {
    public DeploymentId {
        if (value <= 0) {
            throw new InvalidValueException("deployment id " + value + " must be positive");
        }
    }

    public static DeploymentId of(long value) {
        return new DeploymentId(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
