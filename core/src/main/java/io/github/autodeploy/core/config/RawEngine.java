package io.github.autodeploy.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code engine:} section as written; every key is optional.
 *
 * @param workers        {@code workers}: lanes that may run at once (default 4)
 * @param queueCapacity  {@code queue_capacity}: deployments waiting at most, over all lanes (default 100)
 * @param shutdownGrace  {@code shutdown_grace}: how long {@code close()} lets running work finish (default 30s)
 * @param historyLimit   {@code history_limit}: deployments kept for the pages (default 500)
 * @param logLimitBytes  {@code log_limit_bytes}: log kept per deployment, the tail (default 1 MiB)
 */
public record RawEngine(Optional<Integer> workers, Optional<Integer> queueCapacity, Optional<String> shutdownGrace,
                           Optional<Integer> historyLimit, Optional<Long> logLimitBytes) {
    public RawEngine {
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(queueCapacity, "queueCapacity");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(historyLimit, "historyLimit");
        Objects.requireNonNull(logLimitBytes, "logLimitBytes");
    }

    public static RawEngine defaults() {
        return new RawEngine(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
