package io.github.autodeploy.core.engine;

/**
 * The store could not keep or tell what the accept path needs, so the delivery is not taken: the
 * webhook answers "try later" ({@link Receipt.Kind#UNAVAILABLE}) and nothing half-done is kept.
 * Engine-internal; never reaches a host.
 */
final class StoreUnavailable extends RuntimeException {
    StoreUnavailable(String what, RuntimeException cause) {
        super("the store could not " + what + ": " + cause.getMessage(), cause);
    }
}
