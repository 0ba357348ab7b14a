-- Deployments of approved model versions (deployer module). The spec is what people asked for; the observed columns
-- are written by the reconciler only.
CREATE TABLE deployment (
    id                BIGSERIAL PRIMARY KEY,
    name              VARCHAR(63)   NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'),
    version_id        BIGINT        NOT NULL REFERENCES model_version (id),
    target            VARCHAR(20)   NOT NULL CHECK (target IN ('LOCAL', 'KUBERNETES')),
    namespace         VARCHAR(63)   NOT NULL CHECK (namespace ~ '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'),
    min_replicas      INTEGER       NOT NULL CHECK (min_replicas >= 1),
    max_replicas      INTEGER       NOT NULL CHECK (max_replicas >= min_replicas AND max_replicas <= 100),
    scale_metric      VARCHAR(20)   NOT NULL CHECK (scale_metric IN ('CPU', 'INFLIGHT')),
    scale_target      INTEGER       NOT NULL CHECK (scale_target >= 1),
    idle_seconds      INTEGER       NOT NULL CHECK (idle_seconds >= 0),
    cpu_request       VARCHAR(20)   NOT NULL,
    cpu_limit         VARCHAR(20)   NOT NULL,
    memory_request    VARCHAR(20)   NOT NULL,
    memory_limit      VARCHAR(20)   NOT NULL,
    desired_state     VARCHAR(20)   NOT NULL CHECK (desired_state IN ('RUNNING', 'STOPPED')),
    owner             VARCHAR(200)  NOT NULL,
    created_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    -- observed, by the reconciler
    status            VARCHAR(20)   NOT NULL CHECK (status IN ('PENDING', 'PROGRESSING', 'READY', 'SCALED_TO_ZERO',
                                                               'DEGRADED', 'FAILED', 'STOPPED')),
    ready_replicas    INTEGER       NOT NULL DEFAULT 0,
    desired_replicas  INTEGER       NOT NULL DEFAULT 0,
    endpoint          VARCHAR(500),
    message           VARCHAR(4000),
    observed_at       TIMESTAMPTZ,
    row_version       BIGINT        NOT NULL DEFAULT 0
);
CREATE INDEX deployment_version_idx ON deployment (version_id);

-- What happened to a deployment, newest last: actions by people and changes seen by the reconciler.
CREATE TABLE deployment_event (
    id            BIGSERIAL PRIMARY KEY,
    deployment_id BIGINT        NOT NULL REFERENCES deployment (id) ON DELETE CASCADE,
    at            TIMESTAMPTZ   NOT NULL DEFAULT now(),
    actor         VARCHAR(200)  NOT NULL,
    kind          VARCHAR(40)   NOT NULL,
    message       VARCHAR(4000) NOT NULL
);
CREATE INDEX deployment_event_deployment_idx ON deployment_event (deployment_id, at);

ALTER TABLE governance_event ADD COLUMN deployment VARCHAR(63);
