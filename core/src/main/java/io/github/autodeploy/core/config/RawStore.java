package io.github.autodeploy.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code store:} section as written; every key is optional. Immutable.
 *
 * @param url          {@code url}: {@code memory}, {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://HOST:PORT/DB};
 *                     absent: SQLite beside the configuration file, or memory without one
 * @param user         {@code user}: PostgreSQL's user, when the URL does not name it
 * @param password     {@code password}: PostgreSQL's password, when the URL does not hold it; a secret
 * @param retention    {@code retention}: how long finished deployments are kept (default 90 days)
 * @param dedupeWindow {@code dedupe_window}: how long delivery ids are remembered (default 7 days)
 * @param leaseTimeout {@code lease_timeout}: how soon another node takes over a dead node's work (default 30s)
 * @param logBudgetBytes {@code log_budget_bytes}: what all logs together may hold (default 1 GiB)
 * @param sync         {@code sync}: {@code full} (default) or {@code normal}, how SQLite syncs an accepted delivery
 */
public record RawStore(Optional<String> url, Optional<String> user, Optional<String> password,
                       Optional<String> retention, Optional<String> dedupeWindow, Optional<String> leaseTimeout,
                       Optional<Long> logBudgetBytes, Optional<String> sync) {
    /** Without {@code log_budget_bytes} and {@code sync}. */
    public RawStore(Optional<String> url, Optional<String> user, Optional<String> password,
                    Optional<String> retention, Optional<String> dedupeWindow, Optional<String> leaseTimeout) {
        this(url, user, password, retention, dedupeWindow, leaseTimeout, Optional.empty(), Optional.empty());
    }

    /** Without {@code sync}. */
    public RawStore(Optional<String> url, Optional<String> user, Optional<String> password,
                    Optional<String> retention, Optional<String> dedupeWindow, Optional<String> leaseTimeout,
                    Optional<Long> logBudgetBytes) {
        this(url, user, password, retention, dedupeWindow, leaseTimeout, logBudgetBytes, Optional.empty());
    }

    public RawStore {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(dedupeWindow, "dedupeWindow");
        Objects.requireNonNull(leaseTimeout, "leaseTimeout");
        Objects.requireNonNull(logBudgetBytes, "logBudgetBytes");
        Objects.requireNonNull(sync, "sync");
    }

    public static RawStore defaults() {
        return new RawStore(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }
}
