package io.github.autodeploy.core.port;

import io.github.autodeploy.core.lifecycle.StatusUpdate;
import java.util.Objects;

/** A deployment status as posted: the update and the link to the deployment's log page. */
public record StatusPost(StatusUpdate update, String logUrl) {
    public StatusPost {
        Objects.requireNonNull(update, "update");
        Objects.requireNonNull(logUrl, "logUrl");
    }
}
