-- Autodeploy's store, schema version 4: GitHub Actions deployments the robot gates as a custom
-- deployment protection rule (core's GatedRun), so that a decision survives a restart and is made
-- once across nodes. One script for SQLite and PostgreSQL, as version 1.
--
-- run_key is GatedRun.key(): owner/repo#runId@environment. installation_id is NULL when the event
-- named no installation. Times are nanoseconds since the epoch; decided_at is NULL (and decided_by
-- too) while the run waits, and decided_by is NULL when the robot decided. state (waiting, approved,
-- rejected) and delivery (pending, sent, refused, unknown, not_configured) are their wire names.
-- approvals holds one line per approval, in order: "<nanoseconds since the epoch> <user>" (a user
-- has no spaces or control characters). announced: the team was told the run waits long. version is compared and bumped by every replace (an
-- UPDATE ... WHERE run_key = ? AND version = ?), so that one writer among nodes wins a decision.
CREATE TABLE autodeploy_gated_runs (
    run_key         TEXT         NOT NULL PRIMARY KEY,
    repository      VARCHAR(200) NOT NULL,
    run_id          BIGINT       NOT NULL,
    environment     VARCHAR(255) NOT NULL,
    installation_id BIGINT,
    deployment_id   BIGINT       NOT NULL,
    sha             VARCHAR(40)  NOT NULL,
    ref             VARCHAR(255) NOT NULL,
    creator         TEXT         NOT NULL,
    trigger_event   TEXT         NOT NULL,
    requested_at    BIGINT       NOT NULL,
    deadline        BIGINT       NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    reason          TEXT         NOT NULL,
    approvals       TEXT         NOT NULL,
    reports_sent    INTEGER      NOT NULL,
    reported        TEXT         NOT NULL,
    decided_by      TEXT,
    decided_at      BIGINT,
    delivery        VARCHAR(16)  NOT NULL,
    announced       BOOLEAN      NOT NULL,
    version         BIGINT       NOT NULL
);
-- The listing: newest requests first.
CREATE INDEX autodeploy_gated_runs_requested ON autodeploy_gated_runs (requested_at, run_key);
-- Pruning: decided runs by when they were decided.
CREATE INDEX autodeploy_gated_runs_decided ON autodeploy_gated_runs (decided_at) WHERE decided_at IS NOT NULL;
