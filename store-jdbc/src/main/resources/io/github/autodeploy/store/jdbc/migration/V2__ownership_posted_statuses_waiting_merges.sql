-- Autodeploy's store, schema version 2: who owns what is unfinished (so that another process can
-- take it over when its owner is gone), how many statuses of each deployment GitHub has, and merges
-- waiting for CI. One script for SQLite and PostgreSQL, as version 1. Flags are INTEGER 0/1.

-- owner: the store instance (node id and a random suffix per start) that posts the deployment's
-- statuses and runs it; '' for nobody. lease_until: when another node may take it over, unless the
-- owner renews it. statuses_posted: how many statuses of history, from the first, GitHub has (or
-- refused for good). history_size: how many statuses history holds. settled: finished (a terminal
-- state or INACTIVE) and statuses_posted >= history_size; a settled row is owned by nobody, whatever
-- owner says, and is never taken over.
ALTER TABLE autodeploy_deployments ADD COLUMN owner VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE autodeploy_deployments ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE autodeploy_deployments ADD COLUMN statuses_posted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE autodeploy_deployments ADD COLUMN history_size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE autodeploy_deployments ADD COLUMN settled INTEGER NOT NULL DEFAULT 0;

-- Rows of version 1: history holds one JSON object per status, each with exactly one "state": key
-- (quotes inside strings are escaped, so the text cannot occur elsewhere); counting it works on both
-- databases, which have no common JSON function. A version 1 robot posted its statuses as they
-- happened and kept no record of it: they count as posted, so none is posted twice. Finished rows
-- are settled; the others stay unowned with a lease long run out, so the first process to look
-- takes them over.
UPDATE autodeploy_deployments
   SET history_size = (LENGTH(history) - LENGTH(REPLACE(history, '"state":', ''))) / LENGTH('"state":');
UPDATE autodeploy_deployments
   SET statuses_posted = history_size,
       settled = CASE WHEN state IN ('SUCCESS', 'FAILURE', 'ERROR', 'INACTIVE') THEN 1 ELSE 0 END;

-- Adoption and lease renewal look only at unsettled rows (few), by owner or by lease.
CREATE INDEX autodeploy_deployments_unsettled ON autodeploy_deployments (owner, lease_until) WHERE settled = 0;
-- The newest deployment of a lane that started.
CREATE INDEX autodeploy_deployments_started ON autodeploy_deployments (repository, environment, id)
    WHERE started_at IS NOT NULL;

-- Merges (or pushes) waiting for CI before their deployment is created, owned and leased like
-- unfinished deployments. deadline is when the robot gives up waiting; may_exist is 1 when a create
-- was sent whose answer was lost.
CREATE TABLE autodeploy_waiting (
    request_id  VARCHAR(64)  NOT NULL PRIMARY KEY,
    repository  VARCHAR(200) NOT NULL,
    environment VARCHAR(255) NOT NULL,
    sha         VARCHAR(40)  NOT NULL,
    branch      TEXT         NOT NULL,
    requester   VARCHAR(64)  NOT NULL,
    cause       TEXT         NOT NULL,
    deadline    BIGINT       NOT NULL,
    may_exist   INTEGER      NOT NULL DEFAULT 0,
    owner       VARCHAR(255) NOT NULL,
    lease_until BIGINT       NOT NULL
);
CREATE INDEX autodeploy_waiting_deadline ON autodeploy_waiting (deadline, request_id);
CREATE INDEX autodeploy_waiting_owner ON autodeploy_waiting (owner, lease_until);
