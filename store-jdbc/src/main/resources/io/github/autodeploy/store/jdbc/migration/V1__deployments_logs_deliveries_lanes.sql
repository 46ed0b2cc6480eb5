-- Autodeploy's store, schema version 1. One script for SQLite and PostgreSQL: only types and syntax
-- both understand. Times are nanoseconds since 1970-01-01T00:00:00Z in a BIGINT, so that both
-- databases keep java.time.Instant exactly and order it alike. Every name starts with autodeploy_
-- so that the tables can live in a host application's schema.

-- One row per deployment the robot ran or queued. history and steps are JSON arrays
-- (status updates: state, description, at; steps: name, outcome, exit_code, duration, message).
-- log_first, log_next and log_bytes describe the kept tail of its log (autodeploy_log_lines).
CREATE TABLE autodeploy_deployments (
    id          BIGINT       NOT NULL PRIMARY KEY,
    repository  VARCHAR(200) NOT NULL,
    environment VARCHAR(255) NOT NULL,
    sha         VARCHAR(40)  NOT NULL,
    ref         VARCHAR(255) NOT NULL,
    task        VARCHAR(100) NOT NULL,
    requester   VARCHAR(64)  NOT NULL,
    payload     TEXT         NOT NULL,
    description TEXT         NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    history     TEXT         NOT NULL,
    steps       TEXT         NOT NULL,
    page_key    VARCHAR(200) NOT NULL,
    queued_at   BIGINT       NOT NULL,
    started_at  BIGINT,
    finished_at BIGINT,
    log_first   BIGINT       NOT NULL DEFAULT 0,
    log_next    BIGINT       NOT NULL DEFAULT 0,
    log_bytes   BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX autodeploy_deployments_queued ON autodeploy_deployments (queued_at, id);
CREATE INDEX autodeploy_deployments_lane ON autodeploy_deployments (repository, environment, state);

-- A deployment's log, one row per line, appended only; the oldest rows are deleted when the
-- deployment's log passes its byte limit. bytes is the line's UTF-8 length plus one (the newline).
CREATE TABLE autodeploy_log_lines (
    deployment_id BIGINT  NOT NULL REFERENCES autodeploy_deployments (id) ON DELETE CASCADE,
    line_no       BIGINT  NOT NULL,
    line          TEXT    NOT NULL,
    bytes         INTEGER NOT NULL,
    PRIMARY KEY (deployment_id, line_no)
);

-- Webhook delivery ids seen, for duplicate detection; pruned after the dedupe window.
CREATE TABLE autodeploy_deliveries (
    id      VARCHAR(128) NOT NULL PRIMARY KEY,
    seen_at BIGINT       NOT NULL
);
CREATE INDEX autodeploy_deliveries_seen ON autodeploy_deliveries (seen_at);

-- Who holds which lane (repository + environment) now, for people and for lease checks. The lock
-- itself is a PostgreSQL advisory lock on lock_key (or a lock inside the one process on SQLite);
-- a row whose holder died stays until the next holder overwrites it.
CREATE TABLE autodeploy_lane_locks (
    lane        VARCHAR(600) NOT NULL PRIMARY KEY,
    lock_key    BIGINT       NOT NULL,
    holder      VARCHAR(200) NOT NULL,
    acquired_at BIGINT       NOT NULL
);
