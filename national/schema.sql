-- STOrders national store (PostgreSQL 15): the schema, version 5.
--
-- Every province's office keeps its own STOrders file (SQLite), the record of truth for its
-- writes. `storders-national publish` copies what a file has recorded into this database; the
-- national reports read it. Run this file once on an empty database:
--
--     psql "postgresql://…/storders_national" -v ON_ERROR_STOP=1 -f national/schema.sql
--
-- The program refuses a database whose `schema_version` is not the version it knows.
--
-- ## What is published, and how a record whose state changes is represented
--
-- "Nothing published is ever changed or deleted nationally": the published FACTS are immutable.
--
-- 1. The two hash chains, copied whole: `events` (every line of every order's history, with
--    its hash, its record's canonical encoding and the previous hash) and `seals` (every write
--    of an enterprise or a target). Insert-only: triggers refuse UPDATE and DELETE.
-- 2. The rows the province itself never changes: `payments` (a reversal is a further row with a
--    negative amount), `results`, `result_retractions`, `advances` (an advance or a recovery,
--    docs/advances.md), `targets` (the latest set is in force). Insert-only, as in the province:
--    corrections arrive as reversals, retractions and recoveries, never as edits. `fundings` too,
--    but for the contract's end in force (`ends_extended_to`), which an approved amendment moves,
--    as in the province. One exception, written once and only by a publish: a store upgraded
--    from version 4 kept no payment's `settled` part (every published row holds 0); the next
--    publish of each source that published before (`sources.advances_pending`) writes the
--    settled part of its payments that have one, from its file, in the same transaction that
--    sends the advances it had published the events of and clears the flag. The payments'
--    trigger allows that one change (settled from 0, every other column unchanged, while the
--    source's flag is set) and refuses every other; once the flag is cleared, never again.
-- 3. The rows whose state moves, as the province holds them at the published position:
--    `orders` (state, funded_on, delivered_on, commercialized_on, cancelled_on, cancel_reason),
--    `outputs` (title, type, novelty, value, due_on while the order is `ordered`; accepted_on
--    and evidence once accepted; extended_to, the due date an approved amendment moved it to),
--    `fundings` (ends_extended_to only) and `enterprises` (their latest seal). Their identity columns never
--    change (a trigger refuses it) and they are never deleted; their state columns are written
--    only by a publish, in the same transaction that inserts the events that moved them, with
--    the values the province's file holds. They are a projection of (1), kept so that the
--    reports read the same columns as the SQLite reports: an order funded in year Y is
--    `funded_on` in Y, exactly as in the province. (A publish reads the province's file in one
--    snapshot; a publish interrupted between two batches may leave an order's state columns at
--    that snapshot while some of the events that moved it are still to come. The next publish
--    completes them. After a completed publish the store equals the province, row by row.)
--
-- Every report input therefore reaches this store: orders (field, province, enterprise, the
-- dates of every step and the state), outputs (novelty, acceptance, due date and its extension),
-- fundings (amounts by source, the contract's period and its extension), payments (amount,
-- source, date, reversals, the part that settled advances), advances and recoveries (amount,
-- date), results (revenue, date) and their retractions, enterprises (innovative_startup) and
-- targets (key, province or national, value, set_at; the latest in force). The views
-- `payments_net` and `results_live` give the same definitions as the province's.
--
-- ## Upgrades
--
-- `storders-national init` brings a store of an older version to this one in one transaction
-- (NationalSchema.swift): version 2 added the running totals, 3 the sources' `totals_pending`,
-- 4 the deadlines (due dates, contract periods, `dates_pending`), 5 the advances: the
-- `advances` table with its partitions, indexes and trigger, `payments.settled` (0 in the rows
-- already published), the payments' trigger that lets a publish write that column once, the
-- `payments_settling` index, and `sources.advances_pending`, set for every source that had
-- published: its next publish sends the advances and settled parts the store did not keep.
--
-- ## Keys and partitions
--
-- Ids are the province file's own ids, so every row's key is (province_code, source_id, id):
-- the province is the LIST partition key of every table of records (one partition per province
-- of the 34, created at the end of this file), and the first column of each primary key, so a
-- distributed PostgreSQL (Citus) can shard by it. A row belongs to the province of its order
-- (an output, payment, … to its order's province; an event to its order's; an enterprise to its
-- own). `seals` and `targets` (a target may be national, with no province) are small and not
-- partitioned.
--
-- A province's orders are owned by one source (`source_provinces`): a second source whose file
-- holds orders of an owned province is refused. Each source's published position is the last
-- event and seal it has published, with their hashes (`sources`): a publish whose history does
-- not extend that position is refused, naming the first event that differs.
--
-- Money is bigint đồng; dates are `date`; texts are the province's UTF-8 texts as written.

CREATE TABLE schema_version (
    version       integer PRIMARY KEY CHECK (version > 0),
    installed_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO schema_version (version) VALUES (5);

-- The 34 provincial-level units since 1 July 2025, as in the province's schema.sql.
CREATE TABLE provinces (
    code     text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
    name     text NOT NULL UNIQUE,
    is_city  boolean NOT NULL
);
INSERT INTO provinces (code, name, is_city) VALUES
    ('01', 'Hà Nội', true), ('04', 'Cao Bằng', false), ('08', 'Tuyên Quang', false),
    ('11', 'Điện Biên', false), ('12', 'Lai Châu', false), ('14', 'Sơn La', false),
    ('15', 'Lào Cai', false), ('19', 'Thái Nguyên', false), ('20', 'Lạng Sơn', false),
    ('22', 'Quảng Ninh', false), ('24', 'Bắc Ninh', false), ('25', 'Phú Thọ', false),
    ('31', 'Hải Phòng', true), ('33', 'Hưng Yên', false), ('37', 'Ninh Bình', false),
    ('38', 'Thanh Hóa', false), ('40', 'Nghệ An', false), ('42', 'Hà Tĩnh', false),
    ('44', 'Quảng Trị', false), ('46', 'Huế', true), ('48', 'Đà Nẵng', true),
    ('51', 'Quảng Ngãi', false), ('52', 'Gia Lai', false), ('56', 'Khánh Hòa', false),
    ('66', 'Đắk Lắk', false), ('68', 'Lâm Đồng', false), ('75', 'Đồng Nai', false),
    ('79', 'Thành phố Hồ Chí Minh', true), ('80', 'Tây Ninh', false), ('82', 'Đồng Tháp', false),
    ('86', 'Vĩnh Long', false), ('91', 'An Giang', false), ('92', 'Cần Thơ', true),
    ('96', 'Cà Mau', false);

-- The registry of sources: one per province file, by the stable id created with the file.
-- last_event_id/last_event_hash and last_seal_id/last_seal_hash are its published position
-- (0 and 64 zeros before its first publish): a publish extends them or is refused.
-- totals_pending is true while a large catch-up of the source (its first publish, say) is under
-- way: its provinces' running totals are left as they were when it began, and are recomputed
-- from the records once its last batch is in (see the running totals below). Added in version 3.
-- dates_pending is true for a source that published into a store of version 3 or older, which
-- kept no due dates or contract periods: its next publish first sends the dates of every output
-- and funding it published before (then recomputes its provinces' totals). Added in version 4.
-- advances_pending is true for a source that published into a store of version 4 or older, which
-- kept no advances and no payment's settled part: its next publish first sends the advances
-- whose events it published before and the settled part of those payments (the running totals
-- read neither). Added in version 5.
CREATE TABLE sources (
    id               uuid PRIMARY KEY,
    name             text NOT NULL CHECK (length(btrim(name)) > 0),
    registered_at    timestamptz NOT NULL DEFAULT now(),
    published_at     timestamptz,
    last_event_id    bigint NOT NULL DEFAULT 0 CHECK (last_event_id >= 0),
    last_event_hash  text NOT NULL DEFAULT repeat('0', 64) CHECK (last_event_hash ~ '^[0-9a-f]{64}$'),
    last_seal_id     bigint NOT NULL DEFAULT 0 CHECK (last_seal_id >= 0),
    last_seal_hash   text NOT NULL DEFAULT repeat('0', 64) CHECK (last_seal_hash ~ '^[0-9a-f]{64}$'),
    totals_pending   boolean NOT NULL DEFAULT false,
    dates_pending    boolean NOT NULL DEFAULT false,
    advances_pending boolean NOT NULL DEFAULT false
);

-- Which source owns which province's orders. Claimed by a source's first publish of an order of
-- that province; never moved or deleted.
CREATE TABLE source_provinces (
    province_code  text PRIMARY KEY REFERENCES provinces (code),
    source_id      uuid NOT NULL REFERENCES sources (id),
    claimed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX source_provinces_by_source ON source_provinces (source_id);

-- One line per publish batch (one transaction each): what it added and up to where.
CREATE TABLE publishes (
    id              bigserial PRIMARY KEY,
    source_id       uuid NOT NULL REFERENCES sources (id),
    published_at    timestamptz NOT NULL DEFAULT now(),
    first_event_id  bigint NOT NULL,
    last_event_id   bigint NOT NULL,
    last_seal_id    bigint NOT NULL,
    events          integer NOT NULL,
    seals           integer NOT NULL
);
CREATE INDEX publishes_by_source ON publishes (source_id, id);

-- ── Records (partitioned by province) ─────────────────────────────────────────────────────────

-- An order: identity (never changes) and state (as the province holds it, see above).
-- enterprise_id is the province file's id of the enterprise (rows of `enterprises` with the same
-- source); enterprise_tax_code its tax code, to count enterprises across sources.
CREATE TABLE orders (
    province_code        text NOT NULL,
    source_id            uuid NOT NULL,
    id                   bigint NOT NULL,
    code                 text NOT NULL,
    title                text NOT NULL,
    field                text NOT NULL CHECK (field IN ('science', 'innovation', 'digital')),
    enterprise_id        bigint NOT NULL,
    enterprise_tax_code  text NOT NULL,
    ordered_on           date NOT NULL,
    state                text NOT NULL
                         CHECK (state IN ('ordered', 'funded', 'delivered', 'commercialized', 'cancelled')),
    funded_on            date,
    delivered_on         date,
    commercialized_on    date,
    cancelled_on         date,
    cancel_reason        text,
    PRIMARY KEY (province_code, source_id, id),
    UNIQUE (province_code, code)
) PARTITION BY LIST (province_code);
CREATE INDEX orders_by_ordered_on ON orders (ordered_on);
CREATE INDEX orders_by_funded_on ON orders (funded_on) WHERE funded_on IS NOT NULL;
CREATE INDEX orders_by_delivered_on ON orders (delivered_on) WHERE delivered_on IS NOT NULL;
CREATE INDEX orders_by_commercialized_on ON orders (commercialized_on) WHERE commercialized_on IS NOT NULL;
CREATE INDEX orders_by_cancelled_on ON orders (cancelled_on) WHERE cancelled_on IS NOT NULL;
CREATE INDEX orders_by_enterprise ON orders (source_id, enterprise_id);

CREATE TABLE outputs (
    province_code  text NOT NULL,
    source_id      uuid NOT NULL,
    id             bigint NOT NULL,
    order_id       bigint NOT NULL,
    number         integer NOT NULL CHECK (number > 0),
    title          text NOT NULL,
    type           text NOT NULL CHECK (type IN ('product', 'service', 'model')),
    novelty        text NOT NULL CHECK (novelty IN ('new', 'improved')),
    value          bigint NOT NULL CHECK (value > 0),
    accepted_on    date,
    evidence       text,
    -- Added in version 4 (docs/deadlines.md): the due date as set when the output was added, and
    -- the date an approved amendment extended it to (the latest); in force: coalesce(extended_to,
    -- due_on). NULL for an output without a due date (an order of a file older than version 6).
    due_on         date,
    extended_to    date,
    PRIMARY KEY (province_code, source_id, id)
) PARTITION BY LIST (province_code);
CREATE INDEX outputs_by_order ON outputs (source_id, order_id);
CREATE INDEX outputs_by_accepted_on ON outputs (accepted_on) WHERE accepted_on IS NOT NULL;

CREATE TABLE fundings (
    province_code     text NOT NULL,
    source_id         uuid NOT NULL,
    order_id          bigint NOT NULL,
    state_budget      bigint NOT NULL CHECK (state_budget >= 0),
    enterprise_funds  bigint NOT NULL CHECK (enterprise_funds >= 0),
    other             bigint NOT NULL CHECK (other >= 0),
    other_source      text,
    funded_on         date NOT NULL,
    -- Added in version 4: the contract's period as funded, and the end an approved amendment
    -- extended it to (the latest); NULL for an order funded without a period.
    starts_on         date,
    ends_on           date,
    ends_extended_to  date,
    PRIMARY KEY (province_code, source_id, order_id)
) PARTITION BY LIST (province_code);
CREATE INDEX fundings_by_funded_on ON fundings (funded_on);
-- The contracts by their end in force, for the orders past their contract's end (added in version 4).
CREATE INDEX fundings_by_end ON fundings ((coalesce(ends_extended_to, ends_on))) WHERE ends_on IS NOT NULL;

-- `source` is where the money came from (state, enterprise, other), as in the province;
-- `source_id` is the publishing source.
CREATE TABLE payments (
    province_code  text NOT NULL,
    source_id      uuid NOT NULL,
    id             bigint NOT NULL,
    order_id       bigint NOT NULL,
    number         integer NOT NULL CHECK (number > 0),
    output_id      bigint NOT NULL,
    amount         bigint NOT NULL CHECK (amount <> 0),
    source         text NOT NULL CHECK (source IN ('state', 'enterprise', 'other')),
    reference      text,
    paid_on        date NOT NULL,
    reverses       bigint,
    reason         text,
    -- Added in version 5 (docs/advances.md): the part of a state payment that settled the order's
    -- outstanding advances; for a reversal, minus the settlement it undid; 0 for any other.
    settled        bigint NOT NULL DEFAULT 0
                   CHECK (settled = 0 OR (source = 'state' AND settled BETWEEN least(amount, 0) AND greatest(amount, 0))),
    CHECK ((reverses IS NULL) = (amount > 0)),
    PRIMARY KEY (province_code, source_id, id)
) PARTITION BY LIST (province_code);
CREATE INDEX payments_by_paid_on ON payments (paid_on);
CREATE INDEX payments_by_order ON payments (source_id, order_id);
CREATE INDEX payments_by_reverses ON payments (source_id, reverses) WHERE reverses IS NOT NULL;
-- The indicators' settlements of a year: the few payments that settled advances (added in version 5).
CREATE INDEX payments_settling ON payments (paid_on) WHERE settled <> 0;

CREATE TABLE results (
    province_code      text NOT NULL,
    source_id          uuid NOT NULL,
    id                 bigint NOT NULL,
    order_id           bigint NOT NULL,
    number             integer NOT NULL CHECK (number > 0),
    channel            text NOT NULL CHECK (channel IN ('sale', 'license', 'transfer', 'spin-off', 'internal-use')),
    revenue            bigint NOT NULL CHECK (revenue >= 0),
    note               text,
    commercialized_on  date NOT NULL,
    PRIMARY KEY (province_code, source_id, id)
) PARTITION BY LIST (province_code);
CREATE INDEX results_by_commercialized_on ON results (commercialized_on);
CREATE INDEX results_by_order ON results (source_id, order_id);

CREATE TABLE result_retractions (
    province_code  text NOT NULL,
    source_id      uuid NOT NULL,
    id             bigint NOT NULL,
    result_id      bigint NOT NULL,
    reason         text NOT NULL,
    retracted_on   date NOT NULL,
    PRIMARY KEY (province_code, source_id, id)
) PARTITION BY LIST (province_code);
CREATE INDEX result_retractions_by_result ON result_retractions (source_id, result_id);

-- Advances (tạm ứng, docs/advances.md), added in version 5: an officer advances part of a funded
-- order's state budget (kind 'advance', with the State Treasury's reference and the advance limit
-- in force, in basis points); the enterprise returns what is not settled (kind 'recovery', with a
-- reason). Numbered together within the order, as in the province. What is outstanding of an
-- order's advances is sum(advances) - sum(recoveries) - sum(payments.settled).
CREATE TABLE advances (
    province_code  text NOT NULL,
    source_id      uuid NOT NULL,
    id             bigint NOT NULL,
    order_id       bigint NOT NULL,
    number         integer NOT NULL CHECK (number > 0),
    kind           text NOT NULL CHECK (kind IN ('advance', 'recovery')),
    amount         bigint NOT NULL CHECK (amount > 0),
    made_on        date NOT NULL,
    reference      text,
    reason         text,
    limit_share    integer CHECK (limit_share BETWEEN 0 AND 10000),
    PRIMARY KEY (province_code, source_id, id)
) PARTITION BY LIST (province_code);
CREATE INDEX advances_by_made_on ON advances (made_on);
CREATE INDEX advances_by_order ON advances (source_id, order_id);

-- The history: every event of the province's chain, with the previous event's hash (`prev`, by
-- id within the source, 64 zeros for the first) so the chain can be walked here too.
-- recorded_at is the province's UTC text 'YYYY-MM-DDTHH:MM:SSZ', kept as written (it is hashed).
CREATE TABLE events (
    province_code  text NOT NULL,
    source_id      uuid NOT NULL,
    id             bigint NOT NULL,
    order_id       bigint NOT NULL,
    order_code     text NOT NULL,
    occurred_on    date NOT NULL,
    recorded_at    text NOT NULL,
    action         text NOT NULL,
    details        text NOT NULL,
    actor          text NOT NULL,
    record_table   text,
    record_id      bigint,
    record         text,
    prev           text NOT NULL CHECK (prev ~ '^[0-9a-f]{64}$'),
    hash           text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (province_code, source_id, id)
) PARTITION BY LIST (province_code);
CREATE INDEX events_by_source ON events (source_id, id);
CREATE INDEX events_by_order ON events (source_id, order_id, id);

-- An enterprise as its latest published seal holds it (partitioned by its own province).
CREATE TABLE enterprises (
    province_code       text NOT NULL,
    source_id           uuid NOT NULL,
    id                  bigint NOT NULL,
    tax_code            text NOT NULL,
    name                text NOT NULL,
    innovative_startup  boolean NOT NULL,
    registered_on       date NOT NULL,
    seal_id             bigint NOT NULL,
    PRIMARY KEY (province_code, source_id, id)
) PARTITION BY LIST (province_code);
CREATE INDEX enterprises_by_source ON enterprises (source_id, id);
CREATE INDEX enterprises_by_tax_code ON enterprises (tax_code);

-- The seals' chain of each source, copied whole (enterprises and targets).
CREATE TABLE seals (
    source_id     uuid NOT NULL,
    id            bigint NOT NULL,
    record_table  text NOT NULL CHECK (record_table IN ('enterprises', 'targets')),
    record_id     bigint NOT NULL,
    recorded_at   text NOT NULL,
    action        text NOT NULL,
    actor         text NOT NULL,
    record        text NOT NULL,
    prev          text NOT NULL CHECK (prev ~ '^[0-9a-f]{64}$'),
    hash          text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (source_id, id)
);

-- Targets as each source set them: province_code NULL is the source's national target; the
-- latest (by set_at, then id) for a key and province is in force, as in the province.
CREATE TABLE targets (
    source_id      uuid NOT NULL,
    id             bigint NOT NULL,
    key            text NOT NULL
                   CHECK (key IN ('new_or_improved_outputs', 'enterprises_innovating', 'innovative_startups',
                                  'orders_decided_share')),
    province_code  text REFERENCES provinces (code),
    value          bigint NOT NULL CHECK (value > 0),
    set_at         text NOT NULL,
    set_by         text NOT NULL,
    PRIMARY KEY (source_id, id)
);
CREATE INDEX targets_by_key ON targets (key, province_code, set_at, id);

-- ── The indicators' running totals ──────────────────────────────────────────────────────────
--
-- The same three tables of running totals as the province's schema.sql keeps (tallies,
-- tally_durations, tally_enterprises), over every source: what the national reports read (a few
-- hundred rows a year, not the year's records). They are not published facts but the store's
-- own arithmetic over them, and the only rows here that a publish adds to and subtracts from:
-- each events batch, in its own transaction, takes away the contribution of every order it
-- touches (as the store held it before the batch) and adds it back as it is after, both
-- computed from the records with the province's one definition (`Tallies` in the library,
-- PostgreSQL dialect), one province at a time. A batch that rolls back leaves them as they
-- were; so, after any committed batch, they equal what the records say, which
-- `storders-national verify` checks. A large catch-up (more events than a few batches) does
-- not adjust them batch by batch: its first batch sets its source's `totals_pending`, and once
-- its last batch is in, one transaction recomputes its provinces' totals from their records
-- and clears the flag (a catch-up cut off leaves the flag set; the next publish finishes it).
-- Until then the reports show those provinces' totals as they were before the catch-up.
-- Keyed by province first, like the records. tally_enterprises keeps one row per enterprise
-- (the source's id for it, and its tax code, which identifies it across sources); a row whose
-- count has gone back to 0 counts for nothing.
CREATE TABLE tallies (
    year                       integer NOT NULL,
    province_code              text NOT NULL REFERENCES provinces (code),
    field                      text NOT NULL CHECK (field IN ('science', 'innovation', 'digital')),
    registered                 bigint NOT NULL DEFAULT 0,
    decided                    bigint NOT NULL DEFAULT 0,
    registered_funded          bigint NOT NULL DEFAULT 0,
    registered_delivered       bigint NOT NULL DEFAULT 0,
    registered_commercialized  bigint NOT NULL DEFAULT 0,
    registered_cancelled       bigint NOT NULL DEFAULT 0,
    funded                     bigint NOT NULL DEFAULT 0,
    state_budget_committed     bigint NOT NULL DEFAULT 0,
    enterprise_committed       bigint NOT NULL DEFAULT 0,
    other_committed            bigint NOT NULL DEFAULT 0,
    outputs_accepted           bigint NOT NULL DEFAULT 0,
    new_outputs                bigint NOT NULL DEFAULT 0,
    state_paid                 bigint NOT NULL DEFAULT 0,
    enterprise_paid            bigint NOT NULL DEFAULT 0,
    other_paid                 bigint NOT NULL DEFAULT 0,
    results                    bigint NOT NULL DEFAULT 0,
    revenue                    bigint NOT NULL DEFAULT 0,
    delivered                  bigint NOT NULL DEFAULT 0,
    delivered_commercialized   bigint NOT NULL DEFAULT 0,
    -- Added in version 4: of the outputs accepted in the year, those with a due date, and of them
    -- those accepted on or before their due date in force.
    outputs_due                bigint NOT NULL DEFAULT 0,
    outputs_on_time            bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (province_code, year, field)
);
CREATE INDEX tallies_by_year ON tallies (year);

CREATE TABLE tally_durations (
    year           integer NOT NULL,
    province_code  text NOT NULL REFERENCES provinces (code),
    field          text NOT NULL CHECK (field IN ('science', 'innovation', 'digital')),
    step           text NOT NULL CHECK (step IN ('funded', 'delivered', 'commercialized')),
    days           integer NOT NULL,
    orders         bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (province_code, year, field, step, days)
);
-- The reports read a year's rows in this order, from the index alone.
CREATE INDEX tally_durations_by_year ON tally_durations (year, field, step, days) INCLUDE (orders, province_code);

CREATE TABLE tally_enterprises (
    year                 integer NOT NULL,
    enterprise_id        bigint NOT NULL,
    province_code        text NOT NULL REFERENCES provinces (code),
    field                text NOT NULL CHECK (field IN ('science', 'innovation', 'digital')),
    source_id            uuid NOT NULL,
    enterprise_tax_code  text NOT NULL,
    activities           bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (province_code, year, field, source_id, enterprise_id, enterprise_tax_code)
);
CREATE INDEX tally_enterprises_by_year ON tally_enterprises (year, enterprise_tax_code)
    INCLUDE (field, source_id, enterprise_id) WHERE activities > 0;

-- ── Shared definitions of net figures (as in the province's schema.sql) ──────────────────────
CREATE VIEW payments_net AS
SELECT p.province_code, p.source_id, p.id, p.order_id, p.number, p.output_id, p.source, p.reference,
       p.paid_on, p.amount, coalesce(-r.amount, 0) AS reversed, p.amount + coalesce(r.amount, 0) AS net,
       r.paid_on AS reversed_on
FROM payments p
LEFT JOIN payments r ON r.province_code = p.province_code AND r.source_id = p.source_id AND r.reverses = p.id
WHERE p.reverses IS NULL;

CREATE VIEW results_live AS
SELECT r.province_code, r.source_id, r.id, r.order_id, r.number, r.channel, r.revenue, r.note,
       r.commercialized_on
FROM results r
WHERE NOT EXISTS (SELECT 1 FROM result_retractions t
                  WHERE t.province_code = r.province_code AND t.source_id = r.source_id AND t.result_id = r.id);

-- ── Nothing published is ever changed or deleted ─────────────────────────────────────────────
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'national % rows are never %; corrections arrive as new records',
        regexp_replace(TG_TABLE_NAME, '_[0-9]{2}$', ''),
        CASE TG_OP WHEN 'DELETE' THEN 'deleted' ELSE 'changed' END
        USING ERRCODE = 'restrict_violation';
END $$;

-- orders, outputs and enterprises: state columns move with the province; identity never.
CREATE FUNCTION order_identity_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.province_code, NEW.source_id, NEW.id, NEW.code, NEW.title, NEW.field, NEW.enterprise_id,
        NEW.enterprise_tax_code, NEW.ordered_on)
       IS DISTINCT FROM (OLD.province_code, OLD.source_id, OLD.id, OLD.code, OLD.title, OLD.field, OLD.enterprise_id,
                         OLD.enterprise_tax_code, OLD.ordered_on) THEN
        RAISE EXCEPTION 'an order''s code, title, field, province, enterprise and registration date never change'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION output_identity_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.province_code, NEW.source_id, NEW.id, NEW.order_id, NEW.number)
       IS DISTINCT FROM (OLD.province_code, OLD.source_id, OLD.id, OLD.order_id, OLD.number) THEN
        RAISE EXCEPTION 'an output never moves to another order or number' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

-- fundings: only the contract's end in force moves (an approved amendment); the period is written
-- once (a funding published into a store of version 3 receives it later, see sources.dates_pending).
CREATE FUNCTION funding_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.province_code, NEW.source_id, NEW.order_id, NEW.state_budget, NEW.enterprise_funds, NEW.other,
        NEW.other_source, NEW.funded_on)
       IS DISTINCT FROM (OLD.province_code, OLD.source_id, OLD.order_id, OLD.state_budget, OLD.enterprise_funds,
                         OLD.other, OLD.other_source, OLD.funded_on)
       OR (OLD.ends_on IS NOT NULL AND (NEW.starts_on, NEW.ends_on) IS DISTINCT FROM (OLD.starts_on, OLD.ends_on)) THEN
        RAISE EXCEPTION 'a funding''s amounts, date and contract period never change; only an amendment extends its end'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

-- payments: insert-only, but for the one backfill of `settled` a store upgraded from version 4
-- receives from the next publish of each source that published before (see the top of this file).
CREATE FUNCTION payment_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.province_code, NEW.source_id, NEW.id, NEW.order_id, NEW.number, NEW.output_id, NEW.amount, NEW.source,
        NEW.reference, NEW.paid_on, NEW.reverses, NEW.reason)
       IS DISTINCT FROM (OLD.province_code, OLD.source_id, OLD.id, OLD.order_id, OLD.number, OLD.output_id, OLD.amount,
                         OLD.source, OLD.reference, OLD.paid_on, OLD.reverses, OLD.reason)
       OR OLD.settled <> 0 OR NEW.settled = 0
       OR NOT EXISTS (SELECT 1 FROM sources s WHERE s.id = OLD.source_id AND s.advances_pending) THEN
        RAISE EXCEPTION 'national payments rows are never changed; corrections arrive as new records (only the settled part a store of version 4 did not keep is written, once, by its source''s next publish)'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION enterprise_identity_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.province_code, NEW.source_id, NEW.id, NEW.tax_code)
       IS DISTINCT FROM (OLD.province_code, OLD.source_id, OLD.id, OLD.tax_code) THEN
        RAISE EXCEPTION 'an enterprise''s tax code and province never change' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['results', 'result_retractions', 'advances', 'events', 'seals', 'targets',
                             'source_provinces', 'publishes'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION refuse_change()',
                       t || '_never_changed', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['orders', 'outputs', 'fundings', 'payments', 'enterprises', 'sources'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE DELETE ON %I FOR EACH ROW EXECUTE FUNCTION refuse_change()',
                       t || '_never_deleted', t);
    END LOOP;
END $$;
CREATE TRIGGER orders_identity_fixed BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION order_identity_fixed();
CREATE TRIGGER outputs_identity_fixed BEFORE UPDATE ON outputs FOR EACH ROW EXECUTE FUNCTION output_identity_fixed();
CREATE TRIGGER enterprises_identity_fixed BEFORE UPDATE ON enterprises
    FOR EACH ROW EXECUTE FUNCTION enterprise_identity_fixed();
CREATE TRIGGER fundings_fixed BEFORE UPDATE ON fundings FOR EACH ROW EXECUTE FUNCTION funding_fixed();
CREATE TRIGGER payments_fixed BEFORE UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION payment_fixed();

-- ── One partition per province, for every partitioned table ──────────────────────────────────
DO $$
DECLARE
    t text;
    p text;
BEGIN
    FOREACH t IN ARRAY ARRAY['orders', 'outputs', 'fundings', 'payments', 'results', 'result_retractions', 'advances',
                             'events', 'enterprises'] LOOP
        FOR p IN SELECT code FROM provinces ORDER BY code LOOP
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES IN (%L)', t || '_' || p, t, p);
        END LOOP;
    END LOOP;
END $$;
