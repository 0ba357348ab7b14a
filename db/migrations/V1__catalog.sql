-- Catalog: models, versions, artifacts, license policy, provenance and approval history.
-- The schema belongs to these migrations; Hibernate only validates it.

CREATE TABLE license_policy (
    spdx_id     VARCHAR(100) PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    verdict     VARCHAR(10)  NOT NULL CHECK (verdict IN ('ALLOWED', 'REVIEW', 'DENIED')),
    note        VARCHAR(1000),
    updated_by  VARCHAR(200) NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE model (
    id            BIGSERIAL PRIMARY KEY,
    name          VARCHAR(63)   NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'),
    display_name  VARCHAR(200)  NOT NULL,
    task          VARCHAR(40)   NOT NULL CHECK (task IN ('IMAGE_CLASSIFICATION', 'TABULAR_CLASSIFICATION', 'OTHER')),
    description   VARCHAR(4000),
    owner         VARCHAR(200)  NOT NULL,
    created_at    TIMESTAMPTZ   NOT NULL DEFAULT now()
);

CREATE TABLE model_version (
    id                BIGSERIAL PRIMARY KEY,
    model_id          BIGINT        NOT NULL REFERENCES model (id),
    version_label     VARCHAR(63)   NOT NULL CHECK (version_label ~ '^[A-Za-z0-9]([-._A-Za-z0-9]*[A-Za-z0-9])?$'),
    format            VARCHAR(20)   NOT NULL CHECK (format IN ('TORCHSCRIPT', 'MAR')),
    state             VARCHAR(20)   NOT NULL CHECK (state IN ('DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED', 'RETIRED')),
    license_spdx      VARCHAR(100)  NOT NULL,
    -- input spec for image models
    image_size        INTEGER       CHECK (image_size BETWEEN 1 AND 4096),
    resize_to         INTEGER       CHECK (resize_to BETWEEN 1 AND 4096),
    grayscale         BOOLEAN       NOT NULL DEFAULT FALSE,
    normalize_mean    VARCHAR(100),
    normalize_std     VARCHAR(100),
    -- provenance
    source_type       VARCHAR(20)   NOT NULL CHECK (source_type IN ('UPLOAD', 'HUGGING_FACE', 'TORCH_HUB', 'GITHUB', 'URL')),
    source_uri        VARCHAR(2000),
    source_revision   VARCHAR(200),
    retrieved_at      TIMESTAMPTZ,
    retrieved_by      VARCHAR(200),
    upstream_sha256   VARCHAR(64)      CHECK (upstream_sha256 ~ '^[0-9a-f]{64}$'),
    authors           VARCHAR(1000),
    model_card        TEXT,
    -- who
    created_by        VARCHAR(200)  NOT NULL,
    created_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    submitted_by      VARCHAR(200),
    decided_by        VARCHAR(200),
    row_version       BIGINT        NOT NULL DEFAULT 0,
    UNIQUE (model_id, version_label)
);
CREATE INDEX model_version_state_idx ON model_version (state);

CREATE TABLE artifact (
    id            BIGSERIAL PRIMARY KEY,
    version_id    BIGINT        NOT NULL REFERENCES model_version (id),
    kind          VARCHAR(20)   NOT NULL CHECK (kind IN ('MODEL', 'LABELS')),
    file_name     VARCHAR(255)  NOT NULL,
    sha256        VARCHAR(64)      NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes    BIGINT        NOT NULL CHECK (size_bytes > 0),
    uploaded_by   VARCHAR(200)  NOT NULL,
    uploaded_at   TIMESTAMPTZ   NOT NULL DEFAULT now(),
    UNIQUE (version_id, kind)
);
CREATE INDEX artifact_sha256_idx ON artifact (sha256);

CREATE TABLE version_transition (
    id              BIGSERIAL PRIMARY KEY,
    version_id      BIGINT        NOT NULL REFERENCES model_version (id),
    from_state      VARCHAR(20),
    to_state        VARCHAR(20)   NOT NULL,
    actor           VARCHAR(200)  NOT NULL,
    reason          VARCHAR(4000),
    license_verdict VARCHAR(10),
    at              TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX version_transition_version_idx ON version_transition (version_id, at);

-- Governance actions. The audit issue replaces this simple table with the chained, partitioned audit trail.
CREATE TABLE governance_event (
    id           BIGSERIAL PRIMARY KEY,
    at           TIMESTAMPTZ   NOT NULL DEFAULT now(),
    actor        VARCHAR(200)  NOT NULL,
    action       VARCHAR(40)   NOT NULL,
    model        VARCHAR(63),
    version      VARCHAR(63),
    detail       VARCHAR(4000)
);
CREATE INDEX governance_event_at_idx ON governance_event (at);

-- Seed policy: permissive licenses are ALLOWED; copyleft, non-commercial and responsible-AI licenses
-- need a written justification (REVIEW); no license or a proprietary one is DENIED. Unknown ids are REVIEW.
INSERT INTO license_policy (spdx_id, name, verdict, note, updated_by) VALUES
 ('Apache-2.0',        'Apache License 2.0',                                   'ALLOWED', 'Permissive, with patent grant', 'seed'),
 ('MIT',               'MIT License',                                          'ALLOWED', 'Permissive', 'seed'),
 ('BSD-2-Clause',      'BSD 2-Clause "Simplified" License',                    'ALLOWED', 'Permissive', 'seed'),
 ('BSD-3-Clause',      'BSD 3-Clause "New" or "Revised" License',              'ALLOWED', 'Permissive', 'seed'),
 ('ISC',               'ISC License',                                          'ALLOWED', 'Permissive', 'seed'),
 ('Zlib',              'zlib License',                                         'ALLOWED', 'Permissive', 'seed'),
 ('Unlicense',         'The Unlicense',                                        'ALLOWED', 'Public-domain dedication', 'seed'),
 ('CC0-1.0',           'Creative Commons Zero v1.0 Universal',                 'ALLOWED', 'Public-domain dedication', 'seed'),
 ('CC-BY-4.0',         'Creative Commons Attribution 4.0 International',       'ALLOWED', 'Attribution required', 'seed'),
 ('MPL-2.0',           'Mozilla Public License 2.0',                           'ALLOWED', 'File-level copyleft; unmodified use is fine', 'seed'),
 ('BSL-1.0',           'Boost Software License 1.0',                           'ALLOWED', 'Permissive', 'seed'),
 ('CC-BY-SA-4.0',      'Creative Commons Attribution Share Alike 4.0',         'REVIEW',  'Share-alike obligations', 'seed'),
 ('CC-BY-NC-4.0',      'Creative Commons Attribution Non Commercial 4.0',      'REVIEW',  'Non-commercial only: check the hospital''s use', 'seed'),
 ('CC-BY-NC-SA-4.0',   'Creative Commons Attribution Non Commercial Share Alike 4.0', 'REVIEW', 'Non-commercial only, share-alike', 'seed'),
 ('CC-BY-NC-ND-4.0',   'Creative Commons Attribution Non Commercial No Derivatives 4.0', 'REVIEW', 'Non-commercial, no derivatives', 'seed'),
 ('GPL-2.0-only',      'GNU General Public License v2.0 only',                 'REVIEW',  'Strong copyleft', 'seed'),
 ('GPL-3.0-only',      'GNU General Public License v3.0 only',                 'REVIEW',  'Strong copyleft', 'seed'),
 ('GPL-3.0-or-later',  'GNU General Public License v3.0 or later',             'REVIEW',  'Strong copyleft', 'seed'),
 ('LGPL-2.1-only',     'GNU Lesser General Public License v2.1 only',          'REVIEW',  'Weak copyleft', 'seed'),
 ('LGPL-3.0-only',     'GNU Lesser General Public License v3.0 only',          'REVIEW',  'Weak copyleft', 'seed'),
 ('AGPL-3.0-only',     'GNU Affero General Public License v3.0 only',          'REVIEW',  'Network copyleft: serving counts as distribution', 'seed'),
 ('AGPL-3.0-or-later', 'GNU Affero General Public License v3.0 or later',      'REVIEW',  'Network copyleft: serving counts as distribution', 'seed'),
 ('OpenRAIL',          'Open Responsible AI License',                          'REVIEW',  'Use-based restrictions', 'seed'),
 ('OpenRAIL-M',        'Open RAIL-M',                                          'REVIEW',  'Use-based restrictions', 'seed'),
 ('CreativeML-OpenRAIL-M', 'CreativeML Open RAIL-M',                           'REVIEW',  'Use-based restrictions', 'seed'),
 ('BigScience-OpenRAIL-M', 'BigScience Open RAIL-M',                           'REVIEW',  'Use-based restrictions', 'seed'),
 ('Llama-3-Community', 'Llama 3 Community License',                            'REVIEW',  'Custom terms and acceptable-use policy', 'seed'),
 ('other',             'Other license (see model card)',                       'REVIEW',  'Read the license text before approving', 'seed'),
 ('LicenseRef-Proprietary', 'Proprietary license',                             'DENIED',  'No right to run on premises without a contract', 'seed'),
 ('NONE',              'No license',                                           'DENIED',  'No license means no right to use', 'seed'),
 ('NOASSERTION',       'No license stated',                                    'DENIED',  'Licence unknown: find it before registering', 'seed');
