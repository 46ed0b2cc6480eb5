package io.github.autodeploy.core.store;

import io.github.autodeploy.core.model.StepResult;

import java.util.Objects;

/** One finished step of a deployment, for the pages. */
public record StepRecord(String name, StepResult result) {
    public StepRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(result, "result");
    }
}
