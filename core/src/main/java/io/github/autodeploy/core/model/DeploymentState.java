package io.github.autodeploy.core.model;

import java.util.Locale;

/** The states of a GitHub deployment status, plus {@link #UNKNOWN} for values GitHub adds later. */
public enum DeploymentState {
    QUEUED, PENDING, IN_PROGRESS, SUCCESS, FAILURE, ERROR, INACTIVE, UNKNOWN;

    /** Maps GitHub's lower-case word; an unknown or null word maps to {@link #UNKNOWN}. */
    public static DeploymentState fromGitHub(String word) {
        if (word == null) {
            return UNKNOWN;
        }
        for (DeploymentState s : values()) {
            if (s != UNKNOWN && s.apiValue().equals(word.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        return UNKNOWN;
    }

    /** The word GitHub's API uses. */
    public String apiValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Success, failure or error: the deployment ran to an end. */
    public boolean isTerminal() {
        return this == SUCCESS || this == FAILURE || this == ERROR;
    }
}
