package io.github.autodeploy.core.engine;

import java.util.Optional;

/** Whether a deployment may start now, given its environment's lock and deploy window. */
sealed interface Admission {
    Admission GO = new Go(Optional.empty());

    /** It starts; {@code note} says what it was forced past, to be recorded. */
    record Go(Optional<String> forced) implements Admission {
    }

    /** It waits (an auto-deploy while its environment is locked or closed); {@code reason} is shown. */
    record Hold(String reason) implements Admission {
    }

    /** It never runs (a deployment made elsewhere, not forced); {@code reason} is its error status. */
    record Refuse(String reason) implements Admission {
    }
}
