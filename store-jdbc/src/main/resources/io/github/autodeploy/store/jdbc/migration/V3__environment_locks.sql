-- Autodeploy's store, schema version 3: locks on a repository's environment, taken by people
-- (the pages, the JSON API, the CLI), so that every node holds the same environments and a lock
-- outlives a restart. One script for SQLite and PostgreSQL, as version 1. since and expires are
-- nanoseconds since the epoch; expires is NULL for a lock that holds until someone unlocks it.
CREATE TABLE autodeploy_environment_locks (
    repository  VARCHAR(200) NOT NULL,
    environment VARCHAR(255) NOT NULL,
    reason      TEXT         NOT NULL,
    holder      VARCHAR(64)  NOT NULL,
    since       BIGINT       NOT NULL,
    expires     BIGINT,
    PRIMARY KEY (repository, environment)
);
