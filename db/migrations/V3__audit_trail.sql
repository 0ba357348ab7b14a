-- The audit trail: every inference request and every governance action, one row each, append-only and hash-chained.
-- Rows belong to a chain (one per writer: each portal's gateway, and the governance actions); within a chain,
-- seq counts up from 1 and hash = SHA-256(prev_hash || canonical row), so any changed, removed or inserted row breaks
-- the chain at that point. Partitioned by month: retention drops whole partitions, never single rows.
CREATE TABLE audit_event (
    chain_id        VARCHAR(64)   NOT NULL,
    seq             BIGINT        NOT NULL CHECK (seq >= 1),
    at              TIMESTAMPTZ   NOT NULL,
    request_id      VARCHAR(128),
    actor_subject   VARCHAR(200)  NOT NULL,
    actor_name      VARCHAR(200),
    actor_roles     VARCHAR(200),
    client_id       VARCHAR(200),
    source_ip       VARCHAR(64),
    action          VARCHAR(40)   NOT NULL,
    model           VARCHAR(63),
    version         VARCHAR(63),
    deployment      VARCHAR(63),
    artifact_sha256 VARCHAR(64),
    input_sha256    VARCHAR(64),
    input_size      BIGINT,
    content_type    VARCHAR(200),
    output_summary  VARCHAR(1000),
    output_sha256   VARCHAR(64),
    http_status     INTEGER,
    outcome         VARCHAR(20)   CHECK (outcome IN ('OK', 'CLIENT_ERROR', 'SERVER_ERROR', 'DENIED', 'UNAVAILABLE')),
    latency_micros  BIGINT,
    purpose         VARCHAR(200),
    detail          VARCHAR(4000),
    prev_hash       VARCHAR(64)   NOT NULL,
    hash            VARCHAR(64)   NOT NULL,
    PRIMARY KEY (chain_id, seq, at)
) PARTITION BY RANGE (at);
CREATE INDEX audit_event_at_idx ON audit_event (at);
CREATE INDEX audit_event_model_idx ON audit_event (model, at);
CREATE INDEX audit_event_actor_idx ON audit_event (actor_subject, at);

-- Catches rows outside every monthly partition, so a write never fails for want of one.
CREATE TABLE audit_event_default PARTITION OF audit_event DEFAULT;

-- The last row of each chain: writers lock it to append in order.
CREATE TABLE audit_chain_head (
    chain_id   VARCHAR(64)  PRIMARY KEY,
    seq        BIGINT       NOT NULL,
    hash       VARCHAR(64)  NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_event_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();

-- Monthly partitions from this month to months_ahead months on; returns how many it created.
CREATE FUNCTION audit_ensure_partitions(months_ahead INTEGER) RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    first_month DATE := date_trunc('month', now())::date;
    month       DATE;
    name        TEXT;
    created     INTEGER := 0;
BEGIN
    FOR i IN 0..months_ahead LOOP
        month := (first_month + make_interval(months => i))::date;
        name := 'audit_event_' || to_char(month, 'YYYY_MM');
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)', name, month,
                           (month + INTERVAL '1 month')::date);
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END;
$$;

-- Retention: drops the monthly partitions that end on or before the cutoff, whole; returns their names.
CREATE FUNCTION audit_drop_partitions_before(cutoff TIMESTAMPTZ) RETURNS SETOF TEXT LANGUAGE plpgsql AS $$
DECLARE
    part RECORD;
    upper_bound TIMESTAMPTZ;
BEGIN
    FOR part IN SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'audit_event'::regclass AND c.relname ~ '^audit_event_[0-9]{4}_[0-9]{2}$' LOOP
        upper_bound := substring(part.bound FROM 'TO \(''([^'']+)''\)')::timestamptz;
        IF upper_bound <= cutoff THEN
            EXECUTE format('DROP TABLE %I', part.relname);
            RETURN NEXT part.relname;
        END IF;
    END LOOP;
END;
$$;

SELECT audit_ensure_partitions(3);

-- The first audit table kept governance actions unchained; they now go to audit_event. Its rows stay readable.
COMMENT ON TABLE governance_event IS 'Superseded by audit_event (V3); kept read-only for rows written before it.';
