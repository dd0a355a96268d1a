-- STOrders schema: the single source of truth.
--
-- The program creates a new database by running exactly this file (it is embedded in the
-- binary), so `sqlite3 new.db < schema.sql` and `storders init --db new.db` give the same
-- schema. Every rule that can be stated over one row lives here as a CHECK; cross-row rules
-- (a payment within what remains of an output, the lifecycle, append-only tables) are enforced
-- by the library inside one transaction and, against raw SQL, by the triggers at the end.
--
-- Closed vocabularies are checked with `x = 'a' OR x = 'b' …` rather than `x IN ('a', 'b', …)`:
-- SQLite builds a temporary b-tree for an IN list of more than two constants on every execution
-- of a statement, which made each inserted row about 4 µs slower (found with callgrind while
-- profiling the bulk import); the OR chain is plain comparisons.
--
-- Conventions: money is INTEGER đồng (VND has no minor unit); dates are TEXT 'YYYY-MM-DD'
-- (checked to be real calendar days: SQLite's date() with a modifier normalises 2026-02-30
-- to 2026-03-02, so `date(d, '+0 days') IS d` holds only for a real day); booleans are INTEGER 0/1; all tables are STRICT.

PRAGMA application_id = 1398034258;  -- 0x53544F52, 'STOR': marks a STOrders database
PRAGMA user_version = 10;             -- schema version; the program refuses newer files and upgrades older ones

-- The 34 provincial-level units since 1 July 2025, with their statistics-office codes.
CREATE TABLE provinces (
    code         TEXT PRIMARY KEY CHECK (code GLOB '[0-9][0-9]'),
    name         TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    is_city      INTEGER NOT NULL CHECK (is_city IN (0, 1))   -- centrally run city
) STRICT, WITHOUT ROWID;

INSERT INTO provinces (code, name, is_city) VALUES
    ('01', 'Hà Nội', 1),
    ('04', 'Cao Bằng', 0),
    ('08', 'Tuyên Quang', 0),
    ('11', 'Điện Biên', 0),
    ('12', 'Lai Châu', 0),
    ('14', 'Sơn La', 0),
    ('15', 'Lào Cai', 0),
    ('19', 'Thái Nguyên', 0),
    ('20', 'Lạng Sơn', 0),
    ('22', 'Quảng Ninh', 0),
    ('24', 'Bắc Ninh', 0),
    ('25', 'Phú Thọ', 0),
    ('31', 'Hải Phòng', 1),
    ('33', 'Hưng Yên', 0),
    ('37', 'Ninh Bình', 0),
    ('38', 'Thanh Hóa', 0),
    ('40', 'Nghệ An', 0),
    ('42', 'Hà Tĩnh', 0),
    ('44', 'Quảng Trị', 0),
    ('46', 'Huế', 1),
    ('48', 'Đà Nẵng', 1),
    ('51', 'Quảng Ngãi', 0),
    ('52', 'Gia Lai', 0),
    ('56', 'Khánh Hòa', 0),
    ('66', 'Đắk Lắk', 0),
    ('68', 'Lâm Đồng', 0),
    ('75', 'Đồng Nai', 0),
    ('79', 'Thành phố Hồ Chí Minh', 1),
    ('80', 'Tây Ninh', 0),
    ('82', 'Đồng Tháp', 0),
    ('86', 'Vĩnh Long', 0),
    ('91', 'An Giang', 0),
    ('92', 'Cần Thơ', 1),
    ('96', 'Cà Mau', 0);

-- The orderer. tax_code is the MST: 10 digits whose 10th is the check digit over the first nine
-- (weights 31 29 23 19 17 13 7 5 3, s = sum mod 11, check = 10 - s, s = 0 is never valid),
-- optionally followed by '-' and a 3-digit dependent-unit suffix other than '000'.
CREATE TABLE enterprises (
    id                  INTEGER PRIMARY KEY,
    tax_code            TEXT NOT NULL UNIQUE CONSTRAINT tax_code_valid CHECK (
        (tax_code GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
         OR (tax_code GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9]'
             AND substr(tax_code, 12, 3) <> '000'))
        AND substr(tax_code, 3, 7) <> '0000000'
        AND (31 * substr(tax_code, 1, 1) + 29 * substr(tax_code, 2, 1) + 23 * substr(tax_code, 3, 1)
           + 19 * substr(tax_code, 4, 1) + 17 * substr(tax_code, 5, 1) + 13 * substr(tax_code, 6, 1)
           +  7 * substr(tax_code, 7, 1) +  5 * substr(tax_code, 8, 1) +  3 * substr(tax_code, 9, 1)) % 11 <> 0
        AND 10 - (31 * substr(tax_code, 1, 1) + 29 * substr(tax_code, 2, 1) + 23 * substr(tax_code, 3, 1)
           + 19 * substr(tax_code, 4, 1) + 17 * substr(tax_code, 5, 1) + 13 * substr(tax_code, 6, 1)
           +  7 * substr(tax_code, 7, 1) +  5 * substr(tax_code, 8, 1) +  3 * substr(tax_code, 9, 1)) % 11
            = CAST(substr(tax_code, 10, 1) AS INTEGER)
    ),
    name                TEXT NOT NULL CHECK (length(trim(name)) > 0),
    province_code       TEXT NOT NULL REFERENCES provinces (code),
    innovative_startup  INTEGER NOT NULL DEFAULT 0 CHECK (innovative_startup IN (0, 1)),
    registered_on       TEXT NOT NULL CHECK (date(registered_on, '+0 days') IS registered_on)
) STRICT;

CREATE INDEX enterprises_by_province ON enterprises (province_code);

-- An S&T task ordered by one enterprise, and where it stands in its lifecycle.
-- The *_on columns record when each transition happened; the CHECKs tie them to the state.
CREATE TABLE orders (
    id                  INTEGER PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE COLLATE NOCASE
                        CHECK (length(code) BETWEEN 1 AND 40 AND code NOT GLOB '*[^A-Za-z0-9._/-]*'),
    title               TEXT NOT NULL CHECK (length(trim(title)) > 0),
    field               TEXT NOT NULL CHECK ((field = 'science' OR field = 'innovation' OR field = 'digital')),
    province_code       TEXT NOT NULL REFERENCES provinces (code),
    enterprise_id       INTEGER NOT NULL REFERENCES enterprises (id),
    state               TEXT NOT NULL DEFAULT 'ordered'
                        CHECK ((state = 'ordered' OR state = 'funded' OR state = 'delivered' OR state = 'commercialized' OR state = 'cancelled')),
    ordered_on          TEXT NOT NULL CHECK (date(ordered_on, '+0 days') IS ordered_on),
    funded_on           TEXT CHECK (date(funded_on, '+0 days') IS funded_on AND funded_on >= ordered_on),
    delivered_on        TEXT CHECK (date(delivered_on, '+0 days') IS delivered_on AND delivered_on >= funded_on),
    commercialized_on   TEXT CHECK (date(commercialized_on, '+0 days') IS commercialized_on
                                    AND commercialized_on >= delivered_on),
    cancelled_on        TEXT CHECK (date(cancelled_on, '+0 days') IS cancelled_on AND cancelled_on >= ordered_on),
    cancel_reason       TEXT CHECK (length(trim(cancel_reason)) > 0),
    CHECK ((funded_on IS NOT NULL) = ((state = 'funded' OR state = 'delivered' OR state = 'commercialized')
                                      OR (state = 'cancelled' AND funded_on IS NOT NULL))),
    CHECK ((delivered_on IS NOT NULL) = (state IN ('delivered', 'commercialized'))),
    CHECK ((commercialized_on IS NOT NULL) = (state = 'commercialized')),
    CHECK ((cancelled_on IS NOT NULL) = (state = 'cancelled')),
    CHECK ((cancel_reason IS NOT NULL) = (state = 'cancelled'))
) STRICT;

CREATE INDEX orders_by_state ON orders (state);
CREATE INDEX orders_by_province ON orders (province_code, ordered_on);
CREATE INDEX orders_by_enterprise ON orders (enterprise_id);
CREATE INDEX orders_by_date ON orders (ordered_on);
-- The indicators count the transitions of a year: these let them read one year's rows only.
CREATE INDEX orders_by_funding_date ON orders (funded_on) WHERE funded_on IS NOT NULL;
CREATE INDEX orders_by_delivery_date ON orders (delivered_on) WHERE delivered_on IS NOT NULL;
CREATE INDEX orders_by_commercialization_date ON orders (commercialized_on) WHERE commercialized_on IS NOT NULL;
-- The inbox's orders waiting for funding, oldest first: all of them, and a province's (version 6).
CREATE INDEX orders_waiting ON orders (ordered_on) WHERE state = 'ordered';
CREATE INDEX orders_waiting_by_province ON orders (province_code, ordered_on) WHERE state = 'ordered';

-- A market-oriented deliverable of an order. value is what is paid when it is accepted.
CREATE TABLE outputs (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    number          INTEGER NOT NULL CHECK (number > 0),
    title           TEXT NOT NULL CHECK (length(trim(title)) > 0),
    type            TEXT NOT NULL CHECK ((type = 'product' OR type = 'service' OR type = 'model')),
    novelty         TEXT NOT NULL CHECK (novelty IN ('new', 'improved')),
    value           INTEGER NOT NULL CHECK (value > 0),
    accepted_on     TEXT CHECK (date(accepted_on, '+0 days') IS accepted_on),
    evidence        TEXT CHECK (evidence IS NULL OR accepted_on IS NOT NULL),
    -- Version 6 (docs/deadlines.md): when it is due, set when it is added (NULL in a file upgraded
    -- from version 5, and then for every output of its order); fixed once the order is funded.
    -- extended_to is the due date an approved amendment moved it to (the latest), kept by the
    -- amendments' triggers and by nothing else; the date in force is coalesce(extended_to, due_on).
    due_on          TEXT CHECK (date(due_on, '+0 days') IS due_on),
    extended_to     TEXT CHECK (date(extended_to, '+0 days') IS extended_to AND extended_to > due_on),
    UNIQUE (order_id, number)
) STRICT;

CREATE INDEX outputs_by_acceptance ON outputs (accepted_on) WHERE accepted_on IS NOT NULL;
-- The outputs awaiting acceptance by their due date in force: `storders due` and the inbox.
CREATE INDEX outputs_pending_by_due ON outputs (coalesce(extended_to, due_on))
    WHERE accepted_on IS NULL AND due_on IS NOT NULL;

-- The commitment that makes an order funded: one per order, amounts by source.
CREATE TABLE fundings (
    order_id            INTEGER PRIMARY KEY REFERENCES orders (id),
    state_budget        INTEGER NOT NULL DEFAULT 0 CHECK (state_budget >= 0),
    enterprise_funds    INTEGER NOT NULL DEFAULT 0 CHECK (enterprise_funds >= 0),
    other               INTEGER NOT NULL DEFAULT 0 CHECK (other >= 0),
    other_source        TEXT CHECK (length(trim(other_source)) > 0),
    funded_on           TEXT NOT NULL CHECK (date(funded_on, '+0 days') IS funded_on),
    -- Version 6: the contract's period, both or neither (NULL in a file upgraded from version 5);
    -- ends_extended_to is the end an approved amendment moved it to, as outputs.extended_to.
    starts_on           TEXT CHECK (date(starts_on, '+0 days') IS starts_on),
    ends_on             TEXT CHECK ((ends_on IS NULL) = (starts_on IS NULL)
                                    AND date(ends_on, '+0 days') IS ends_on AND ends_on >= starts_on),
    ends_extended_to    TEXT CHECK (date(ends_extended_to, '+0 days') IS ends_extended_to
                                    AND ends_extended_to > ends_on),
    CHECK (typeof(state_budget + enterprise_funds + other) = 'integer'),   -- no overflow
    CHECK (state_budget + enterprise_funds + other > 0),
    CHECK ((other > 0) = (other_source IS NOT NULL))
) STRICT;

-- The running contracts by their end in force: `storders due`.
CREATE INDEX fundings_by_end ON fundings (coalesce(ends_extended_to, ends_on)) WHERE ends_on IS NOT NULL;

-- Money disbursed against one accepted output. number counts payments within the order.
-- A correction is never an edit: a reversal is a further row with a negative amount, the same
-- order, output and source, `reverses` pointing at the payment it corrects (once only, for at
-- most its amount) and a reason. So sum(amount) over payments is always the net paid.
-- settled (version 8, docs/advances.md): the part of a state payment that settled the order's
-- outstanding advances (0 to amount), or for a reversal minus the settlement it undid; the cash a
-- payment sent is amount - settled.
CREATE TABLE payments (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    number      INTEGER NOT NULL CHECK (number > 0),
    output_id   INTEGER NOT NULL REFERENCES outputs (id),
    amount      INTEGER NOT NULL CHECK (amount <> 0),
    source      TEXT NOT NULL CHECK ((source = 'state' OR source = 'enterprise' OR source = 'other')),
    reference   TEXT,
    paid_on     TEXT NOT NULL CHECK (date(paid_on, '+0 days') IS paid_on),
    reverses    INTEGER REFERENCES payments (id),
    reason      TEXT CHECK (length(trim(reason)) > 0),
    settled     INTEGER NOT NULL DEFAULT 0,
    CHECK ((reverses IS NULL) = (amount > 0)),
    CHECK ((reverses IS NULL) = (reason IS NULL)),
    CHECK (settled = 0 OR (source = 'state' AND settled BETWEEN min(amount, 0) AND max(amount, 0))),
    UNIQUE (order_id, number)
) STRICT;

CREATE UNIQUE INDEX payments_reversed_once ON payments (reverses) WHERE reverses IS NOT NULL;
CREATE INDEX payments_by_output ON payments (output_id);
CREATE INDEX payments_by_date ON payments (paid_on);

-- A commercialization of a delivered order. Revenue may be 0 (internal use earns none).
CREATE TABLE results (
    id                  INTEGER PRIMARY KEY,
    order_id            INTEGER NOT NULL REFERENCES orders (id),
    number              INTEGER NOT NULL CHECK (number > 0),
    channel             TEXT NOT NULL
                        CHECK ((channel = 'sale' OR channel = 'license' OR channel = 'transfer' OR channel = 'spin-off' OR channel = 'internal-use')),
    revenue             INTEGER NOT NULL CHECK (revenue >= 0),
    note                TEXT,
    commercialized_on   TEXT NOT NULL CHECK (date(commercialized_on, '+0 days') IS commercialized_on),
    UNIQUE (order_id, number)
) STRICT;

CREATE INDEX results_by_date ON results (commercialized_on);

-- A result recorded by mistake is retracted, never deleted: one row per retracted result.
CREATE TABLE result_retractions (
    id              INTEGER PRIMARY KEY,
    result_id       INTEGER NOT NULL UNIQUE REFERENCES results (id),
    reason          TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    retracted_on    TEXT NOT NULL CHECK (date(retracted_on, '+0 days') IS retracted_on)
) STRICT;

-- Version 6: a change of a funded order's dates (docs/deadlines.md). An officer extends an
-- output's due date (output_id) or the contract's end (output_id NULL) with a reason: one row,
-- `approved` as made. An enterprise asks for it: a row `requested`, which an officer decides once,
-- `approved` or `refused`, with the decision's reason. previous_on is the date in force when it
-- was made, proposed_on the later date asked for; an approval moves the date in force (the
-- triggers below set outputs.extended_to or fundings.ends_extended_to), so the original date
-- stays in outputs.due_on / fundings.ends_on. number counts amendments within the order. At most
-- one request per output, and one for the contract's end, is open at a time.
CREATE TABLE amendments (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    number          INTEGER NOT NULL CHECK (number > 0),
    output_id       INTEGER REFERENCES outputs (id),
    previous_on     TEXT NOT NULL CHECK (date(previous_on, '+0 days') IS previous_on),
    proposed_on     TEXT NOT NULL CHECK (date(proposed_on, '+0 days') IS proposed_on AND proposed_on > previous_on),
    reason          TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    requested_by    TEXT NOT NULL CHECK ((requested_by = 'officer' OR requested_by = 'enterprise')),
    requested_on    TEXT NOT NULL CHECK (date(requested_on, '+0 days') IS requested_on),
    state           TEXT NOT NULL CHECK ((state = 'requested' OR state = 'approved' OR state = 'refused')),
    decided_on      TEXT CHECK (date(decided_on, '+0 days') IS decided_on AND decided_on >= requested_on),
    decision        TEXT CHECK (length(trim(decision)) > 0),
    CHECK ((decided_on IS NULL) = (state = 'requested')),
    CHECK ((decision IS NOT NULL) = (requested_by = 'enterprise' AND state <> 'requested')),
    CHECK (requested_by = 'enterprise' OR (state = 'approved' AND decided_on = requested_on)),
    UNIQUE (order_id, number)
) STRICT;

CREATE UNIQUE INDEX amendments_one_open ON amendments (order_id, coalesce(output_id, 0)) WHERE state = 'requested';
-- The inbox's open requests, oldest first.
CREATE INDEX amendments_open_by_date ON amendments (requested_on) WHERE state = 'requested';
CREATE INDEX amendments_by_output ON amendments (output_id) WHERE output_id IS NOT NULL;

-- One line of an order's history, append-only. occurred_on is the business date (--date),
-- recorded_at the moment it was written (UTC, ISO-8601).
--
-- The events form one hash chain for the whole database, in id order: hash is the SHA-256 (hex)
-- of the canonical encoding of the previous event's hash and this event's fields (documented in
-- Sources/STOrders/Storage/HistoryChain.swift and the README). An event that wrote a row of
-- orders, outputs, fundings, payments, results, result_retractions, documents, amendments, payment_requests or advances names it (record_table,
-- record_id) and carries the row's canonical encoding as it was written (record), so an edit of
-- that row made outside storders no longer matches its event, and an edit of the event breaks
-- the chain. `storders verify` checks both.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    occurred_on     TEXT NOT NULL CHECK (date(occurred_on, '+0 days') IS occurred_on),
    recorded_at     TEXT NOT NULL,
    action          TEXT NOT NULL CHECK ((action = 'registered' OR action = 'output_added' OR action = 'funded' OR action = 'output_accepted' OR action = 'delivered' OR action = 'payment_recorded' OR action = 'payment_reversed' OR action = 'commercialized' OR action = 'result_recorded' OR action = 'result_retracted' OR action = 'cancelled' OR action = 'document_attached' OR action = 'amended' OR action = 'amendment_requested' OR action = 'amendment_approved' OR action = 'amendment_refused' OR action = 'payment_requested' OR action = 'payment_request_approved' OR action = 'payment_request_returned' OR action = 'payment_request_paid' OR action = 'advanced' OR action = 'advance_recovered')),
    details         TEXT NOT NULL,
    actor           TEXT NOT NULL CHECK (length(actor) > 0),
    record_table    TEXT CHECK ((record_table = 'orders' OR record_table = 'outputs' OR record_table = 'fundings' OR record_table = 'payments' OR record_table = 'results' OR record_table = 'result_retractions' OR record_table = 'documents' OR record_table = 'amendments' OR record_table = 'payment_requests' OR record_table = 'advances')),
    record_id       INTEGER,
    record          TEXT,
    hash            TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    CHECK ((record_table IS NULL) = (record_id IS NULL) AND (record_table IS NULL) = (record IS NULL))
) STRICT;

CREATE INDEX events_by_order ON events (order_id, id);
CREATE INDEX events_by_record ON events (record_table, record_id, id) WHERE record_table IS NOT NULL;
-- Version 8: the steps an account is told of (`storders notices`, `Store.noticeActions`), newest
-- day first: a province's or the whole database's notices read the window's days from this index
-- and stop at the limit. The WHERE is the notices query's own condition, term for term (a test
-- checks the query plan uses the index).
CREATE INDEX events_noticed_by_day ON events (occurred_on)
WHERE (action = 'funded' OR action = 'output_accepted' OR action = 'payment_recorded' OR action = 'payment_reversed' OR action = 'payment_request_approved' OR action = 'payment_request_returned' OR action = 'amended' OR action = 'amendment_approved' OR action = 'amendment_refused' OR action = 'cancelled');

-- ── Shared definitions of net figures ────────────────────────────────────────────────────────
-- Reversals are payments rows with negative amounts, so any sum(amount) over payments is net.
-- payments_net gives each payment (never a reversal row) with what was reversed of it and what
-- remains: use it where a payment is counted, sum(amount) FROM payments where money is added up.
CREATE VIEW payments_net AS
SELECT p.id, p.order_id, p.number, p.output_id, p.source, p.reference, p.paid_on, p.amount,
       coalesce(-r.amount, 0) AS reversed, p.amount + coalesce(r.amount, 0) AS net,
       r.paid_on AS reversed_on
FROM payments p LEFT JOIN payments r ON r.reverses = p.id
WHERE p.reverses IS NULL;

-- The results that stand: not retracted. Every count of results, and revenue, reads this.
CREATE VIEW results_live AS
SELECT r.id, r.order_id, r.number, r.channel, r.revenue, r.note, r.commercialized_on
FROM results r
WHERE NOT EXISTS (SELECT 1 FROM result_retractions t WHERE t.result_id = r.id);

-- ── Invariants that hold even against raw SQL ────────────────────────────────────────────────
-- The library checks each rule first, with a message naming the order; these triggers are the
-- last line, for anyone who opens the file with sqlite3. Each refuses one kind of change with a
-- message a person can read. They allow exactly the lifecycle's steps (docs/domain.md).

-- Orders: born `ordered`, never deleted, identity fixed, state moves only along the lifecycle.
CREATE TRIGGER orders_start_ordered BEFORE INSERT ON orders
WHEN NEW.state IS NOT 'ordered'
BEGIN SELECT RAISE(ABORT, 'a new order starts in state ordered'); END;

CREATE TRIGGER orders_never_deleted BEFORE DELETE ON orders
BEGIN SELECT RAISE(ABORT, 'orders are never deleted; cancel an ordered or funded order instead'); END;

CREATE TRIGGER orders_identity_fixed BEFORE UPDATE ON orders
WHEN NEW.id IS NOT OLD.id OR NEW.code IS NOT OLD.code COLLATE BINARY OR NEW.title IS NOT OLD.title
  OR NEW.field IS NOT OLD.field OR NEW.province_code IS NOT OLD.province_code
  OR NEW.enterprise_id IS NOT OLD.enterprise_id OR NEW.ordered_on IS NOT OLD.ordered_on
BEGIN SELECT RAISE(ABORT, 'an order''s code, title, field, province, enterprise and registration date never change'); END;

CREATE TRIGGER orders_lifecycle BEFORE UPDATE ON orders
WHEN NOT ((OLD.state = 'ordered' AND (NEW.state = 'ordered' OR NEW.state = 'funded' OR NEW.state = 'cancelled'))
       OR (OLD.state = 'funded' AND (NEW.state = 'funded' OR NEW.state = 'delivered' OR NEW.state = 'cancelled'))
       OR (OLD.state = 'delivered' AND NEW.state IN ('delivered', 'commercialized'))
       OR (OLD.state = 'commercialized' AND NEW.state IN ('commercialized', 'delivered')))
BEGIN SELECT RAISE(ABORT, 'an order''s state moves only along its lifecycle: ordered → funded → delivered → commercialized, or ordered/funded → cancelled; a cancelled order never changes'); END;

CREATE TRIGGER orders_dates_fixed BEFORE UPDATE ON orders
WHEN (OLD.funded_on IS NOT NULL AND NEW.funded_on IS NOT OLD.funded_on)
  OR (OLD.delivered_on IS NOT NULL AND NEW.delivered_on IS NOT OLD.delivered_on)
  OR (OLD.cancelled_on IS NOT NULL AND (NEW.cancelled_on IS NOT OLD.cancelled_on
                                        OR NEW.cancel_reason IS NOT OLD.cancel_reason))
BEGIN SELECT RAISE(ABORT, 'an order''s funding, delivery and cancellation dates and its cancellation reason never change once set'); END;

CREATE TRIGGER orders_funded_needs_funding BEFORE UPDATE ON orders
WHEN OLD.state = 'ordered' AND NEW.state = 'funded'
 AND (NOT EXISTS (SELECT 1 FROM outputs x WHERE x.order_id = NEW.id)
      OR NEW.funded_on IS NOT (SELECT f.funded_on FROM fundings f WHERE f.order_id = NEW.id)
      OR (SELECT f.state_budget + f.enterprise_funds + f.other FROM fundings f WHERE f.order_id = NEW.id)
         < (SELECT sum(x.value) FROM outputs x WHERE x.order_id = NEW.id))
BEGIN SELECT RAISE(ABORT, 'an order becomes funded only with at least one output and a funding, of the same date, that covers their total value'); END;

-- The dates rule (Domain/Chronology.swift): a cancellation is dated on or after every step of
-- its order (its history's events, the funding, every acceptance and payment).
CREATE TRIGGER orders_cancelled_after_every_step BEFORE UPDATE ON orders
WHEN NEW.state = 'cancelled' AND OLD.state IS NOT 'cancelled'
 AND (NEW.cancelled_on < NEW.funded_on
      OR EXISTS (SELECT 1 FROM events e WHERE e.order_id = NEW.id AND e.occurred_on > NEW.cancelled_on)
      OR EXISTS (SELECT 1 FROM outputs x WHERE x.order_id = NEW.id AND x.accepted_on > NEW.cancelled_on)
      OR EXISTS (SELECT 1 FROM payments p WHERE p.order_id = NEW.id AND p.reverses IS NULL
                                            AND p.paid_on > NEW.cancelled_on))
BEGIN SELECT RAISE(ABORT, 'an order''s cancellation is dated on or after every earlier step of the order (its outputs, funding, acceptances and payments)'); END;

CREATE TRIGGER orders_delivered_needs_acceptance BEFORE UPDATE ON orders
WHEN OLD.state = 'funded' AND NEW.state = 'delivered'
 AND (EXISTS (SELECT 1 FROM outputs x WHERE x.order_id = NEW.id AND x.accepted_on IS NULL)
      OR NEW.delivered_on IS NOT (SELECT max(x.accepted_on) FROM outputs x WHERE x.order_id = NEW.id))
BEGIN SELECT RAISE(ABORT, 'an order becomes delivered only when all its outputs are accepted, on the day the last one was'); END;

CREATE TRIGGER orders_commercialized_needs_result BEFORE UPDATE ON orders
WHEN NEW.state = 'commercialized'
 AND NEW.commercialized_on IS NOT (SELECT min(r.commercialized_on) FROM results_live r WHERE r.order_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'an order is commercialized only while it has a result that is not retracted, from the date of the earliest one'); END;

CREATE TRIGGER orders_uncommercialized_needs_retraction BEFORE UPDATE ON orders
WHEN OLD.state = 'commercialized' AND NEW.state = 'delivered'
 AND EXISTS (SELECT 1 FROM results_live r WHERE r.order_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'a commercialized order returns to delivered only when every one of its results is retracted'); END;

-- Outputs: added only while the order is ordered, fixed once it is funded, accepted once while funded.
CREATE TRIGGER outputs_added_while_ordered BEFORE INSERT ON outputs
WHEN (SELECT o.state FROM orders o WHERE o.id = NEW.order_id) IS NOT 'ordered' OR NEW.accepted_on IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'outputs are added only while their order is ordered (not yet funded), and never as already accepted'); END;

CREATE TRIGGER outputs_identity_fixed BEFORE UPDATE ON outputs
WHEN NEW.id IS NOT OLD.id OR NEW.order_id IS NOT OLD.order_id OR NEW.number IS NOT OLD.number
BEGIN SELECT RAISE(ABORT, 'an output never moves to another order or number'); END;

CREATE TRIGGER outputs_fixed_after_funding BEFORE UPDATE ON outputs
WHEN (SELECT o.state FROM orders o WHERE o.id = OLD.order_id) IS NOT 'ordered'
 AND (NEW.title IS NOT OLD.title OR NEW.type IS NOT OLD.type OR NEW.novelty IS NOT OLD.novelty
      OR NEW.value IS NOT OLD.value)
BEGIN SELECT RAISE(ABORT, 'an output''s title, type, novelty and value are fixed once its order is funded'); END;

CREATE TRIGGER outputs_accepted_once BEFORE UPDATE ON outputs
WHEN OLD.accepted_on IS NOT NULL AND (NEW.accepted_on IS NOT OLD.accepted_on OR NEW.evidence IS NOT OLD.evidence)
BEGIN SELECT RAISE(ABORT, 'an output is accepted once: its acceptance date and evidence never change'); END;

CREATE TRIGGER outputs_accepted_while_funded BEFORE UPDATE ON outputs
WHEN OLD.accepted_on IS NULL AND NEW.accepted_on IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = NEW.order_id AND o.state = 'funded'
                                            AND o.funded_on <= NEW.accepted_on)
BEGIN SELECT RAISE(ABORT, 'an output is accepted only while its order is funded, on or after the funding date'); END;

CREATE TRIGGER outputs_removed_while_ordered BEFORE DELETE ON outputs
WHEN (SELECT o.state FROM orders o WHERE o.id = OLD.order_id) IS NOT 'ordered'
BEGIN SELECT RAISE(ABORT, 'outputs are removed only while their order is ordered (not yet funded)'); END;

-- Fundings: one commitment, recorded while the order is ordered, never changed.
CREATE TRIGGER fundings_while_ordered BEFORE INSERT ON fundings
WHEN (SELECT o.state FROM orders o WHERE o.id = NEW.order_id) IS NOT 'ordered'
BEGIN SELECT RAISE(ABORT, 'a funding is recorded only for an order that is ordered (not yet funded)'); END;

CREATE TRIGGER fundings_after_every_step BEFORE INSERT ON fundings
WHEN (SELECT o.state FROM orders o WHERE o.id = NEW.order_id) IS 'ordered'
 AND EXISTS (SELECT 1 FROM events e WHERE e.order_id = NEW.order_id AND e.occurred_on > NEW.funded_on)
BEGIN SELECT RAISE(ABORT, 'a funding is dated on or after every earlier step of its order (its registration and every output''s addition)'); END;

CREATE TRIGGER fundings_never_changed BEFORE UPDATE ON fundings
WHEN NEW.order_id IS NOT OLD.order_id OR NEW.state_budget IS NOT OLD.state_budget
  OR NEW.enterprise_funds IS NOT OLD.enterprise_funds OR NEW.other IS NOT OLD.other
  OR NEW.other_source IS NOT OLD.other_source OR NEW.funded_on IS NOT OLD.funded_on
  OR NEW.starts_on IS NOT OLD.starts_on OR NEW.ends_on IS NOT OLD.ends_on
BEGIN SELECT RAISE(ABORT, 'a funding commitment never changes once recorded'); END;

CREATE TRIGGER fundings_never_deleted BEFORE DELETE ON fundings
BEGIN SELECT RAISE(ABORT, 'a funding commitment is never deleted'); END;

-- Payments: append-only; each within its accepted output's value and its source's funding.
CREATE TRIGGER payments_never_changed BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never changed; correct one with a reversal (storders payment reverse)'); END;

CREATE TRIGGER payments_never_deleted BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never deleted; correct one with a reversal (storders payment reverse)'); END;

CREATE TRIGGER payments_need_accepted_output BEFORE INSERT ON payments
WHEN NEW.reverses IS NULL
 AND NOT EXISTS (SELECT 1 FROM outputs x JOIN orders o ON o.id = x.order_id
                 WHERE x.id = NEW.output_id AND x.order_id = NEW.order_id AND x.accepted_on <= NEW.paid_on
                   AND (o.state = 'funded' OR o.state = 'delivered' OR o.state = 'commercialized'))
BEGIN SELECT RAISE(ABORT, 'a payment needs an accepted output of its own order, is dated on or after the acceptance, and is made while the order is funded, delivered or commercialized'); END;

CREATE TRIGGER payments_within_output BEFORE INSERT ON payments
WHEN NEW.reverses IS NULL
 AND (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.output_id = NEW.output_id) + NEW.amount
     > (SELECT x.value FROM outputs x WHERE x.id = NEW.output_id)
BEGIN SELECT RAISE(ABORT, 'a payment may not exceed what remains unpaid of its output''s value'); END;

CREATE TRIGGER payments_within_funding BEFORE INSERT ON payments
WHEN NEW.reverses IS NULL
 AND (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.order_id = NEW.order_id AND p.source = NEW.source)
     + NEW.amount
     > coalesce((SELECT CASE NEW.source WHEN 'state' THEN f.state_budget WHEN 'enterprise' THEN f.enterprise_funds
                                        ELSE f.other END
                 FROM fundings f WHERE f.order_id = NEW.order_id), 0)
BEGIN SELECT RAISE(ABORT, 'a payment may not exceed what remains of its source''s funding for the order'); END;

CREATE TRIGGER payments_reversed_once BEFORE INSERT ON payments
WHEN NEW.reverses IS NOT NULL AND EXISTS (SELECT 1 FROM payments p WHERE p.reverses = NEW.reverses)
BEGIN SELECT RAISE(ABORT, 'a payment is reversed at most once'); END;

CREATE TRIGGER payments_reversal_matches BEFORE INSERT ON payments
WHEN NEW.reverses IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM payments p
                 WHERE p.id = NEW.reverses AND p.reverses IS NULL AND p.order_id = NEW.order_id
                   AND p.output_id = NEW.output_id AND p.source = NEW.source
                   AND -NEW.amount <= p.amount AND p.paid_on <= NEW.paid_on)
BEGIN SELECT RAISE(ABORT, 'a reversal names a payment (not a reversal) of the same order, output and source, for at most its amount, dated on or after it'); END;

CREATE TRIGGER payments_reversal_after_cancellation BEFORE INSERT ON payments
WHEN NEW.reverses IS NOT NULL
 AND NEW.paid_on < (SELECT o.cancelled_on FROM orders o WHERE o.id = NEW.order_id)
BEGIN SELECT RAISE(ABORT, 'a reversal on a cancelled order is dated on or after its cancellation'); END;

-- Results: recorded for delivered orders, append-only; a mistake is retracted, once.
CREATE TRIGGER results_need_delivery BEFORE INSERT ON results
WHEN NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = NEW.order_id AND o.state IN ('delivered', 'commercialized')
                                            AND o.delivered_on <= NEW.commercialized_on)
BEGIN SELECT RAISE(ABORT, 'a result is recorded only for a delivered or commercialized order, dated on or after its delivery'); END;

CREATE TRIGGER results_never_changed BEFORE UPDATE ON results
BEGIN SELECT RAISE(ABORT, 'results are never changed; retract one recorded by mistake (storders result retract)'); END;

CREATE TRIGGER results_never_deleted BEFORE DELETE ON results
BEGIN SELECT RAISE(ABORT, 'results are never deleted; retract one recorded by mistake (storders result retract)'); END;

CREATE TRIGGER result_retractions_once BEFORE INSERT ON result_retractions
WHEN EXISTS (SELECT 1 FROM result_retractions t WHERE t.result_id = NEW.result_id)
BEGIN SELECT RAISE(ABORT, 'a result is retracted at most once'); END;

CREATE TRIGGER result_retractions_dated BEFORE INSERT ON result_retractions
WHEN NOT EXISTS (SELECT 1 FROM results r WHERE r.id = NEW.result_id AND r.commercialized_on <= NEW.retracted_on)
BEGIN SELECT RAISE(ABORT, 'a retraction names a recorded result and is dated on or after it'); END;

CREATE TRIGGER result_retractions_never_changed BEFORE UPDATE ON result_retractions
BEGIN SELECT RAISE(ABORT, 'retractions are never changed or deleted'); END;

CREATE TRIGGER result_retractions_never_deleted BEFORE DELETE ON result_retractions
BEGIN SELECT RAISE(ABORT, 'retractions are never changed or deleted'); END;

-- Deadlines (version 6, docs/deadlines.md). An order is funded in one of two shapes: with a
-- contract period, every output then due within it; or, as a version-5 order was, with no dates
-- at all. A due date is fixed once the order is funded; only an approved amendment moves the date
-- in force (extended_to, ends_extended_to), and nothing else may set those.
CREATE TRIGGER orders_funded_needs_deadlines BEFORE UPDATE ON orders
WHEN OLD.state = 'ordered' AND NEW.state = 'funded'
 AND EXISTS (SELECT 1 FROM outputs x JOIN fundings f ON f.order_id = x.order_id
             WHERE x.order_id = NEW.id
               AND ((f.ends_on IS NULL) <> (x.due_on IS NULL) OR x.due_on < f.starts_on OR x.due_on > f.ends_on))
BEGIN SELECT RAISE(ABORT, 'an order is funded with a contract period and every output due within it, or with no dates at all'); END;

CREATE TRIGGER outputs_added_unextended BEFORE INSERT ON outputs
WHEN NEW.extended_to IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an output''s due date is extended only by an approved amendment'); END;

CREATE TRIGGER outputs_due_fixed_after_funding BEFORE UPDATE ON outputs
WHEN NEW.due_on IS NOT OLD.due_on AND (SELECT o.state FROM orders o WHERE o.id = OLD.order_id) IS NOT 'ordered'
BEGIN SELECT RAISE(ABORT, 'an output''s due date is fixed once its order is funded; an amendment extends it'); END;

CREATE TRIGGER outputs_extended_by_amendment BEFORE UPDATE ON outputs
WHEN NEW.extended_to IS NOT OLD.extended_to
 AND NEW.extended_to IS NOT (SELECT max(a.proposed_on) FROM amendments a WHERE a.output_id = NEW.id AND a.state = 'approved')
BEGIN SELECT RAISE(ABORT, 'an output''s due date is extended only by an approved amendment'); END;

CREATE TRIGGER fundings_recorded_unextended BEFORE INSERT ON fundings
WHEN NEW.ends_extended_to IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a contract''s end is extended only by an approved amendment'); END;

CREATE TRIGGER fundings_extended_by_amendment BEFORE UPDATE ON fundings
WHEN NEW.ends_extended_to IS NOT OLD.ends_extended_to
 AND NEW.ends_extended_to IS NOT (SELECT max(a.proposed_on) FROM amendments a
                                  WHERE a.order_id = NEW.order_id AND a.output_id IS NULL AND a.state = 'approved')
BEGIN SELECT RAISE(ABORT, 'a contract''s end is extended only by an approved amendment'); END;

-- Amendments: made while the order is funded with a contract period, dated on or after its
-- funding, extending the date in force of an output not yet accepted (never past the contract's
-- end in force) or of the contract's end; an officer's own amendment waits for no open request.
CREATE TRIGGER amendments_made_while_funded BEFORE INSERT ON amendments
WHEN NEW.state = 'refused'
  OR NOT EXISTS (SELECT 1 FROM orders o JOIN fundings f ON f.order_id = o.id
                 WHERE o.id = NEW.order_id AND o.state = 'funded' AND f.funded_on <= NEW.requested_on
                   AND f.ends_on IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'an amendment is made for a funded order with a contract period, on or after its funding, requested or approved'); END;

CREATE TRIGGER amendments_extend_the_date_in_force BEFORE INSERT ON amendments
WHEN (NEW.output_id IS NULL
      AND NEW.previous_on IS NOT (SELECT coalesce(f.ends_extended_to, f.ends_on) FROM fundings f
                                  WHERE f.order_id = NEW.order_id))
  OR (NEW.output_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM outputs x JOIN fundings f ON f.order_id = x.order_id
                      WHERE x.id = NEW.output_id AND x.order_id = NEW.order_id AND x.accepted_on IS NULL
                        AND coalesce(x.extended_to, x.due_on) = NEW.previous_on
                        AND NEW.proposed_on <= coalesce(f.ends_extended_to, f.ends_on)))
BEGIN SELECT RAISE(ABORT, 'an amendment extends the date in force of the contract''s end, or of an output not yet accepted to no later than the contract''s end'); END;

CREATE TRIGGER amendments_wait_for_open_request BEFORE INSERT ON amendments
WHEN NEW.state = 'approved'
 AND EXISTS (SELECT 1 FROM amendments a WHERE a.order_id = NEW.order_id AND a.output_id IS NEW.output_id
                                          AND a.state = 'requested')
BEGIN SELECT RAISE(ABORT, 'a date with an open amendment request is amended only by deciding that request'); END;

CREATE TRIGGER amendments_decided_once BEFORE UPDATE ON amendments
WHEN OLD.state IS NOT 'requested' OR NEW.state = 'requested'
  OR NEW.id IS NOT OLD.id OR NEW.order_id IS NOT OLD.order_id OR NEW.number IS NOT OLD.number
  OR NEW.output_id IS NOT OLD.output_id OR NEW.previous_on IS NOT OLD.previous_on
  OR NEW.proposed_on IS NOT OLD.proposed_on OR NEW.reason IS NOT OLD.reason
  OR NEW.requested_by IS NOT OLD.requested_by OR NEW.requested_on IS NOT OLD.requested_on
BEGIN SELECT RAISE(ABORT, 'an amendment request is decided once, approved or refused; nothing else about it changes'); END;

CREATE TRIGGER amendments_approved_while_in_force BEFORE UPDATE ON amendments
WHEN NEW.state = 'approved'
 AND (NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = NEW.order_id AND o.state = 'funded')
      OR (NEW.output_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM outputs x JOIN fundings f ON f.order_id = x.order_id
                          WHERE x.id = NEW.output_id AND x.accepted_on IS NULL
                            AND NEW.proposed_on <= coalesce(f.ends_extended_to, f.ends_on))))
BEGIN SELECT RAISE(ABORT, 'an amendment request is approved only while its order is funded and its output not yet accepted, to no later than the contract''s end'); END;

CREATE TRIGGER amendments_never_deleted BEFORE DELETE ON amendments
BEGIN SELECT RAISE(ABORT, 'amendments are never deleted'); END;

CREATE TRIGGER amendments_applied AFTER INSERT ON amendments
WHEN NEW.state = 'approved'
BEGIN
    UPDATE outputs SET extended_to = NEW.proposed_on WHERE NEW.output_id IS NOT NULL AND id = NEW.output_id;
    UPDATE fundings SET ends_extended_to = NEW.proposed_on WHERE NEW.output_id IS NULL AND order_id = NEW.order_id;
END;

CREATE TRIGGER amendments_applied_when_approved AFTER UPDATE ON amendments
WHEN OLD.state = 'requested' AND NEW.state = 'approved'
BEGIN
    UPDATE outputs SET extended_to = NEW.proposed_on WHERE NEW.output_id IS NOT NULL AND id = NEW.output_id;
    UPDATE fundings SET ends_extended_to = NEW.proposed_on WHERE NEW.output_id IS NULL AND order_id = NEW.order_id;
END;

-- Events: the history is append-only.
CREATE TRIGGER events_never_changed BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the history is append-only: events are never changed'); END;

CREATE TRIGGER events_never_deleted BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the history is append-only: events are never deleted'); END;


-- The yearly targets the indicators are measured against (each a floor: "at least"). A row with
-- province_code NULL is the national default, seeded with the framework's figures; a province
-- may set its own, which then applies to it instead. Setting a target adds a row: the latest
-- row (highest id) for a key and province is the one in force, and the earlier ones stay as the
-- record of who set what when. A count target is a whole number; the share target is stored in
-- basis points (8000 = 80 %), never as a floating-point number.
CREATE TABLE targets (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL CHECK (key IN ('new_or_improved_outputs', 'enterprises_innovating',
                                                 'innovative_startups', 'orders_decided_share')),
    province_code   TEXT REFERENCES provinces (code),
    value           INTEGER NOT NULL CHECK (value > 0 AND (key <> 'orders_decided_share' OR value <= 10000)),
    set_at          TEXT NOT NULL,
    set_by          TEXT NOT NULL CHECK (length(set_by) > 0)
) STRICT;

CREATE INDEX targets_by_key ON targets (key, province_code, id);

CREATE TRIGGER targets_never_changed BEFORE UPDATE ON targets
BEGIN SELECT RAISE(ABORT, 'targets are never changed: set a new one, the latest is in force'); END;

CREATE TRIGGER targets_never_deleted BEFORE DELETE ON targets
BEGIN SELECT RAISE(ABORT, 'targets are never deleted: set a new one, the latest is in force'); END;

INSERT INTO targets (key, province_code, value, set_at, set_by) VALUES
    ('new_or_improved_outputs', NULL, 30, '2025-07-01T00:00:00Z', 'framework'),
    ('enterprises_innovating', NULL, 100, '2025-07-01T00:00:00Z', 'framework'),
    ('innovative_startups', NULL, 5, '2025-07-01T00:00:00Z', 'framework'),
    ('orders_decided_share', NULL, 8000, '2025-07-01T00:00:00Z', 'framework');

-- Seals: the tamper-evident record of the enterprises and targets, which no order's history
-- covers. Each write of an enterprise or a target (and, once, the upgrade to schema version 3
-- for the rows already there) appends a seal carrying the row's canonical encoding (record), and
-- the seals form their own hash chain in id order, with HistoryChain's encoding (prefix
-- "storders-seal-v1"; documented in Sources/STOrders/Storage/HistoryChain.swift). An edit of an
-- enterprise or target row made outside storders no longer matches its latest seal, and an edit
-- of a seal breaks the chain; `storders verify` checks both. The four seals below are those of
-- the framework's targets above, computed once (their record_id is the targets' id, 1 to 4).
CREATE TABLE seals (
    id              INTEGER PRIMARY KEY,
    record_table    TEXT NOT NULL CHECK ((record_table = 'enterprises' OR record_table = 'targets')),
    record_id       INTEGER NOT NULL,
    recorded_at     TEXT NOT NULL,
    action          TEXT NOT NULL CHECK ((action = 'enterprise_added' OR action = 'target_set' OR action = 'sealed_by_upgrade')),
    actor           TEXT NOT NULL CHECK (length(actor) > 0),
    record          TEXT NOT NULL,
    hash            TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*')
) STRICT;

CREATE INDEX seals_by_record ON seals (record_table, record_id, id);

CREATE TRIGGER seals_never_changed BEFORE UPDATE ON seals
BEGIN SELECT RAISE(ABORT, 'seals are never changed'); END;

CREATE TRIGGER seals_never_deleted BEFORE DELETE ON seals
BEGIN SELECT RAISE(ABORT, 'seals are never deleted'); END;

INSERT INTO seals (record_table, record_id, recorded_at, action, actor, record, hash) VALUES
    ('targets', 1, '2025-07-01T00:00:00Z', 'target_set', 'framework',
     replace('key=t23:new_or_improved_outputs|province_code=null|value=i2:30|set_at=t20:2025-07-01T00:00:00Z|set_by=t9:framework|', '|', char(10)),
     '1f5e06d8f144dece6529521b4dc3017087c60ecda88ed265824fac08054dbf73'),
    ('targets', 2, '2025-07-01T00:00:00Z', 'target_set', 'framework',
     replace('key=t22:enterprises_innovating|province_code=null|value=i3:100|set_at=t20:2025-07-01T00:00:00Z|set_by=t9:framework|', '|', char(10)),
     '49e361b41743ecc295cc886b7514b8be4af82dca64c3ee1d1528c8a164a1bf6b'),
    ('targets', 3, '2025-07-01T00:00:00Z', 'target_set', 'framework',
     replace('key=t19:innovative_startups|province_code=null|value=i1:5|set_at=t20:2025-07-01T00:00:00Z|set_by=t9:framework|', '|', char(10)),
     '24a3f3638c299d4ed9583902e798ae34dcf401f97c9830070888e090f90be764'),
    ('targets', 4, '2025-07-01T00:00:00Z', 'target_set', 'framework',
     replace('key=t20:orders_decided_share|province_code=null|value=i4:8000|set_at=t20:2025-07-01T00:00:00Z|set_by=t9:framework|', '|', char(10)),
     '814db7239071ac1c33c1f1e5f558cbfa7f1be0950ee368fe5bd37e210861b56e');

-- ── Running totals for the indicators ────────────────────────────────────────────────────────
-- The indicators of a year would otherwise read every row dated in it (about 400,000 on a
-- database of 1,000,000 orders, several seconds). Instead, the triggers below keep totals per
-- year, province and field as each row is written, in the same statement, so a report reads a
-- few hundred rows. They are derived data: each row's contribution is added when it is written
-- and, for the rows that may change (an order moving along its lifecycle, an output accepted,
-- a result retracted), its old contribution is taken off and its new one added, all in AFTER
-- triggers from OLD and NEW, so an UPDATE OR IGNORE that skips a row changes no total.
-- `storders verify` recomputes every total from the records and names any that differ; a file
-- of schema version 1 gets the tables and has them filled from its records when it is opened.
-- Rows whose counts have all gone back to 0 may stay; they count for nothing.
--
-- year is the calendar year of the date each figure is dated by (registration, funding,
-- delivery, acceptance, payment, result); province and field are the order's.
CREATE TABLE tallies (
    year                        INTEGER NOT NULL,
    province_code               TEXT NOT NULL,
    field                       TEXT NOT NULL,
    registered                  INTEGER NOT NULL DEFAULT 0,  -- orders registered in the year
    decided                     INTEGER NOT NULL DEFAULT 0,  -- of them, funded or cancelled in the same year
    registered_funded           INTEGER NOT NULL DEFAULT 0,  -- of them, funded by now (or funded, then cancelled)
    registered_delivered        INTEGER NOT NULL DEFAULT 0,  -- of them, delivered by now
    registered_commercialized   INTEGER NOT NULL DEFAULT 0,  -- of them, commercialized now
    registered_cancelled        INTEGER NOT NULL DEFAULT 0,  -- of them, cancelled
    funded                      INTEGER NOT NULL DEFAULT 0,  -- orders funded in the year
    state_budget_committed      INTEGER NOT NULL DEFAULT 0,  -- their fundings, by source
    enterprise_committed        INTEGER NOT NULL DEFAULT 0,
    other_committed             INTEGER NOT NULL DEFAULT 0,
    outputs_accepted            INTEGER NOT NULL DEFAULT 0,  -- outputs accepted in the year
    new_outputs                 INTEGER NOT NULL DEFAULT 0,  -- of them, new (the rest improved)
    state_paid                  INTEGER NOT NULL DEFAULT 0,  -- payments dated in the year, net of reversals, by source
    enterprise_paid             INTEGER NOT NULL DEFAULT 0,
    other_paid                  INTEGER NOT NULL DEFAULT 0,
    results                     INTEGER NOT NULL DEFAULT 0,  -- standing results dated in the year
    revenue                     INTEGER NOT NULL DEFAULT 0,  -- and their revenue
    delivered                   INTEGER NOT NULL DEFAULT 0,  -- orders delivered in the year
    delivered_commercialized    INTEGER NOT NULL DEFAULT 0,  -- of them, commercialized now
    -- Version 7 (docs/deadlines.md): of the outputs accepted in the year, those with a due date,
    -- and of them those accepted on or before their due date in force (extended, if extended).
    outputs_due                 INTEGER NOT NULL DEFAULT 0,
    outputs_on_time             INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, province_code, field)
) STRICT, WITHOUT ROWID;

-- How many orders took each number of days over a step, by the year the step ended: funded
-- (ordered → funded), delivered (funded → delivered), commercialized (delivered → the earliest
-- standing result). Enough for exact medians.
CREATE TABLE tally_durations (
    year            INTEGER NOT NULL,
    province_code   TEXT NOT NULL,
    field           TEXT NOT NULL,
    step            TEXT NOT NULL CHECK ((step = 'funded' OR step = 'delivered' OR step = 'commercialized')),
    days            INTEGER NOT NULL,
    orders          INTEGER NOT NULL,
    PRIMARY KEY (year, province_code, field, step, days)
) STRICT, WITHOUT ROWID;

-- Which enterprises were active in a year through an order of a province and field, and how
-- often: a funding, an acceptance, a payment (not a reversal) or a standing result. Counted
-- distinct, these are the enterprises engaged in innovation.
CREATE TABLE tally_enterprises (
    year            INTEGER NOT NULL,
    enterprise_id   INTEGER NOT NULL,
    province_code   TEXT NOT NULL,
    field           TEXT NOT NULL,
    activities      INTEGER NOT NULL,
    PRIMARY KEY (year, enterprise_id, province_code, field)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER orders_tallied AFTER INSERT ON orders
BEGIN
    INSERT INTO tallies (year, province_code, field, registered, decided, registered_funded, registered_delivered, registered_commercialized, registered_cancelled)
    SELECT CAST(substr(NEW.ordered_on, 1, 4) AS INTEGER), NEW.province_code, NEW.field,
           1,
           substr(coalesce(NEW.funded_on, NEW.cancelled_on), 1, 4) IS substr(NEW.ordered_on, 1, 4),
           NEW.funded_on IS NOT NULL,
           NEW.delivered_on IS NOT NULL,
           NEW.commercialized_on IS NOT NULL,
           NEW.cancelled_on IS NOT NULL
    WHERE true
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        registered = registered + excluded.registered,
        decided = decided + excluded.decided,
        registered_funded = registered_funded + excluded.registered_funded,
        registered_delivered = registered_delivered + excluded.registered_delivered,
        registered_commercialized = registered_commercialized + excluded.registered_commercialized,
        registered_cancelled = registered_cancelled + excluded.registered_cancelled;
    INSERT INTO tallies (year, province_code, field, funded)
    SELECT CAST(substr(NEW.funded_on, 1, 4) AS INTEGER), NEW.province_code, NEW.field,
           1
    WHERE NEW.funded_on IS NOT NULL
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        funded = funded + excluded.funded;
    INSERT INTO tallies (year, province_code, field, delivered, delivered_commercialized)
    SELECT CAST(substr(NEW.delivered_on, 1, 4) AS INTEGER), NEW.province_code, NEW.field,
           1,
           NEW.commercialized_on IS NOT NULL
    WHERE NEW.delivered_on IS NOT NULL
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        delivered = delivered + excluded.delivered,
        delivered_commercialized = delivered_commercialized + excluded.delivered_commercialized;
    INSERT INTO tally_durations (year, province_code, field, step, days, orders)
    SELECT CAST(substr(NEW.funded_on, 1, 4) AS INTEGER), NEW.province_code, NEW.field, 'funded', CAST(julianday(NEW.funded_on) - julianday(NEW.ordered_on) AS INTEGER),
           1
    WHERE NEW.funded_on IS NOT NULL
    ON CONFLICT (year, province_code, field, step, days) DO UPDATE SET
        orders = orders + excluded.orders;
    INSERT INTO tally_durations (year, province_code, field, step, days, orders)
    SELECT CAST(substr(NEW.delivered_on, 1, 4) AS INTEGER), NEW.province_code, NEW.field, 'delivered', CAST(julianday(NEW.delivered_on) - julianday(NEW.funded_on) AS INTEGER),
           1
    WHERE NEW.delivered_on IS NOT NULL
    ON CONFLICT (year, province_code, field, step, days) DO UPDATE SET
        orders = orders + excluded.orders;
    INSERT INTO tally_durations (year, province_code, field, step, days, orders)
    SELECT CAST(substr(NEW.commercialized_on, 1, 4) AS INTEGER), NEW.province_code, NEW.field, 'commercialized', CAST(julianday(NEW.commercialized_on) - julianday(NEW.delivered_on) AS INTEGER),
           1
    WHERE NEW.commercialized_on IS NOT NULL
    ON CONFLICT (year, province_code, field, step, days) DO UPDATE SET
        orders = orders + excluded.orders;
    INSERT INTO tally_enterprises (year, enterprise_id, province_code, field, activities)
    SELECT CAST(substr(NEW.funded_on, 1, 4) AS INTEGER), NEW.enterprise_id, NEW.province_code, NEW.field,
           1
    WHERE NEW.funded_on IS NOT NULL
    ON CONFLICT (year, enterprise_id, province_code, field) DO UPDATE SET
        activities = activities + excluded.activities;
END;

CREATE TRIGGER orders_retallied AFTER UPDATE ON orders
BEGIN
    INSERT INTO tallies (year, province_code, field, registered, decided, registered_funded, registered_delivered, registered_commercialized, registered_cancelled)
    SELECT CAST(substr(OLD.ordered_on, 1, 4) AS INTEGER), OLD.province_code, OLD.field,
           -1,
           -(substr(coalesce(OLD.funded_on, OLD.cancelled_on), 1, 4) IS substr(OLD.ordered_on, 1, 4)),
           -(OLD.funded_on IS NOT NULL),
           -(OLD.delivered_on IS NOT NULL),
           -(OLD.commercialized_on IS NOT NULL),
           -(OLD.cancelled_on IS NOT NULL)
    WHERE true
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        registered = registered + excluded.registered,
        decided = decided + excluded.decided,
        registered_funded = registered_funded + excluded.registered_funded,
        registered_delivered = registered_delivered + excluded.registered_delivered,
        registered_commercialized = registered_commercialized + excluded.registered_commercialized,
        registered_cancelled = registered_cancelled + excluded.registered_cancelled;
    INSERT INTO tallies (year, province_code, field, funded)
    SELECT CAST(substr(OLD.funded_on, 1, 4) AS INTEGER), OLD.province_code, OLD.field,
           -1
    WHERE OLD.funded_on IS NOT NULL
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        funded = funded + excluded.funded;
    INSERT INTO tallies (year, province_code, field, delivered, delivered_commercialized)
    SELECT CAST(substr(OLD.delivered_on, 1, 4) AS INTEGER), OLD.province_code, OLD.field,
           -1,
           -(OLD.commercialized_on IS NOT NULL)
    WHERE OLD.delivered_on IS NOT NULL
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        delivered = delivered + excluded.delivered,
        delivered_commercialized = delivered_commercialized + excluded.delivered_commercialized;
    INSERT INTO tally_durations (year, province_code, field, step, days, orders)
    SELECT CAST(substr(OLD.funded_on, 1, 4) AS INTEGER), OLD.province_code, OLD.field, 'funded', CAST(julianday(OLD.funded_on) - julianday(OLD.ordered_on) AS INTEGER),
           -1
    WHERE OLD.funded_on IS NOT NULL
    ON CONFLICT (year, province_code, field, step, days) DO UPDATE SET
        orders = orders + excluded.orders;
    INSERT INTO tally_durations (year, province_code, field, step, days, orders)
    SELECT CAST(substr(OLD.delivered_on, 1, 4) AS INTEGER), OLD.province_code, OLD.field, 'delivered', CAST(julianday(OLD.delivered_on) - julianday(OLD.funded_on) AS INTEGER),
           -1
    WHERE OLD.delivered_on IS NOT NULL
    ON CONFLICT (year, province_code, field, step, days) DO UPDATE SET
        orders = orders + excluded.orders;
    INSERT INTO tally_durations (year, province_code, field, step, days, orders)
    SELECT CAST(substr(OLD.commercialized_on, 1, 4) AS INTEGER), OLD.province_code, OLD.field, 'commercialized', CAST(julianday(OLD.commercialized_on) - julianday(OLD.delivered_on) AS INTEGER),
           -1
    WHERE OLD.commercialized_on IS NOT NULL
    ON CONFLICT (year, province_code, field, step, days) DO UPDATE SET
        orders = orders + excluded.orders;
    INSERT INTO tally_enterprises (year, enterprise_id, province_code, field, activities)
    SELECT CAST(substr(OLD.funded_on, 1, 4) AS INTEGER), OLD.enterprise_id, OLD.province_code, OLD.field,
           -1
    WHERE OLD.funded_on IS NOT NULL
    ON CONFLICT (year, enterprise_id, province_code, field) DO UPDATE SET
        activities = activities + excluded.activities;
    INSERT INTO tallies (year, province_code, field, registered, decided, registered_funded, registered_delivered, registered_commercialized, registered_cancelled)
    SELECT CAST(substr(NEW.ordered_on, 1, 4) AS INTEGER), NEW.province_code, NEW.field,
           1,
           substr(coalesce(NEW.funded_on, NEW.cancelled_on), 1, 4) IS substr(NEW.ordered_on, 1, 4),
           NEW.funded_on IS NOT NULL,
           NEW.delivered_on IS NOT NULL,
           NEW.commercialized_on IS NOT NULL,
           NEW.cancelled_on IS NOT NULL
    WHERE true
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        registered = registered + excluded.registered,
        decided = decided + excluded.decided,
        registered_funded = registered_funded + excluded.registered_funded,
        registered_delivered = registered_delivered + excluded.registered_delivered,
        registered_commercialized = registered_commercialized + excluded.registered_commercialized,
        registered_cancelled = registered_cancelled + excluded.registered_cancelled;
    INSERT INTO tallies (year, province_code, field, funded)
    SELECT CAST(substr(NEW.funded_on, 1, 4) AS INTEGER), NEW.province_code, NEW.field,
           1
    WHERE NEW.funded_on IS NOT NULL
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        funded = funded + excluded.funded;
    INSERT INTO tallies (year, province_code, field, delivered, delivered_commercialized)
    SELECT CAST(substr(NEW.delivered_on, 1, 4) AS INTEGER), NEW.province_code, NEW.field,
           1,
           NEW.commercialized_on IS NOT NULL
    WHERE NEW.delivered_on IS NOT NULL
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        delivered = delivered + excluded.delivered,
        delivered_commercialized = delivered_commercialized + excluded.delivered_commercialized;
    INSERT INTO tally_durations (year, province_code, field, step, days, orders)
    SELECT CAST(substr(NEW.funded_on, 1, 4) AS INTEGER), NEW.province_code, NEW.field, 'funded', CAST(julianday(NEW.funded_on) - julianday(NEW.ordered_on) AS INTEGER),
           1
    WHERE NEW.funded_on IS NOT NULL
    ON CONFLICT (year, province_code, field, step, days) DO UPDATE SET
        orders = orders + excluded.orders;
    INSERT INTO tally_durations (year, province_code, field, step, days, orders)
    SELECT CAST(substr(NEW.delivered_on, 1, 4) AS INTEGER), NEW.province_code, NEW.field, 'delivered', CAST(julianday(NEW.delivered_on) - julianday(NEW.funded_on) AS INTEGER),
           1
    WHERE NEW.delivered_on IS NOT NULL
    ON CONFLICT (year, province_code, field, step, days) DO UPDATE SET
        orders = orders + excluded.orders;
    INSERT INTO tally_durations (year, province_code, field, step, days, orders)
    SELECT CAST(substr(NEW.commercialized_on, 1, 4) AS INTEGER), NEW.province_code, NEW.field, 'commercialized', CAST(julianday(NEW.commercialized_on) - julianday(NEW.delivered_on) AS INTEGER),
           1
    WHERE NEW.commercialized_on IS NOT NULL
    ON CONFLICT (year, province_code, field, step, days) DO UPDATE SET
        orders = orders + excluded.orders;
    INSERT INTO tally_enterprises (year, enterprise_id, province_code, field, activities)
    SELECT CAST(substr(NEW.funded_on, 1, 4) AS INTEGER), NEW.enterprise_id, NEW.province_code, NEW.field,
           1
    WHERE NEW.funded_on IS NOT NULL
    ON CONFLICT (year, enterprise_id, province_code, field) DO UPDATE SET
        activities = activities + excluded.activities;
END;

CREATE TRIGGER outputs_tallied AFTER INSERT ON outputs
WHEN NEW.accepted_on IS NOT NULL
BEGIN
    INSERT INTO tallies (year, province_code, field, outputs_accepted, new_outputs, outputs_due, outputs_on_time)
    SELECT CAST(substr(NEW.accepted_on, 1, 4) AS INTEGER), o.province_code, o.field,
           1,
           NEW.novelty = 'new',
           NEW.due_on IS NOT NULL,
           (NEW.due_on IS NOT NULL AND NEW.accepted_on <= coalesce(NEW.extended_to, NEW.due_on)) FROM orders o
    WHERE o.id = NEW.order_id AND NEW.accepted_on IS NOT NULL
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        outputs_accepted = outputs_accepted + excluded.outputs_accepted,
        new_outputs = new_outputs + excluded.new_outputs,
        outputs_due = outputs_due + excluded.outputs_due,
        outputs_on_time = outputs_on_time + excluded.outputs_on_time;
    INSERT INTO tally_enterprises (year, enterprise_id, province_code, field, activities)
    SELECT CAST(substr(NEW.accepted_on, 1, 4) AS INTEGER), o.enterprise_id, o.province_code, o.field,
           1 FROM orders o
    WHERE o.id = NEW.order_id AND NEW.accepted_on IS NOT NULL
    ON CONFLICT (year, enterprise_id, province_code, field) DO UPDATE SET
        activities = activities + excluded.activities;
END;

CREATE TRIGGER outputs_retallied AFTER UPDATE ON outputs
WHEN OLD.accepted_on IS NOT NEW.accepted_on OR OLD.novelty IS NOT NEW.novelty OR OLD.order_id IS NOT NEW.order_id
  OR OLD.due_on IS NOT NEW.due_on OR OLD.extended_to IS NOT NEW.extended_to
BEGIN
    INSERT INTO tallies (year, province_code, field, outputs_accepted, new_outputs, outputs_due, outputs_on_time)
    SELECT CAST(substr(OLD.accepted_on, 1, 4) AS INTEGER), o.province_code, o.field,
           -1,
           -(OLD.novelty = 'new'),
           -(OLD.due_on IS NOT NULL),
           -(OLD.due_on IS NOT NULL AND OLD.accepted_on <= coalesce(OLD.extended_to, OLD.due_on)) FROM orders o
    WHERE o.id = OLD.order_id AND OLD.accepted_on IS NOT NULL
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        outputs_accepted = outputs_accepted + excluded.outputs_accepted,
        new_outputs = new_outputs + excluded.new_outputs,
        outputs_due = outputs_due + excluded.outputs_due,
        outputs_on_time = outputs_on_time + excluded.outputs_on_time;
    INSERT INTO tally_enterprises (year, enterprise_id, province_code, field, activities)
    SELECT CAST(substr(OLD.accepted_on, 1, 4) AS INTEGER), o.enterprise_id, o.province_code, o.field,
           -1 FROM orders o
    WHERE o.id = OLD.order_id AND OLD.accepted_on IS NOT NULL
    ON CONFLICT (year, enterprise_id, province_code, field) DO UPDATE SET
        activities = activities + excluded.activities;
    INSERT INTO tallies (year, province_code, field, outputs_accepted, new_outputs, outputs_due, outputs_on_time)
    SELECT CAST(substr(NEW.accepted_on, 1, 4) AS INTEGER), o.province_code, o.field,
           1,
           NEW.novelty = 'new',
           NEW.due_on IS NOT NULL,
           (NEW.due_on IS NOT NULL AND NEW.accepted_on <= coalesce(NEW.extended_to, NEW.due_on)) FROM orders o
    WHERE o.id = NEW.order_id AND NEW.accepted_on IS NOT NULL
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        outputs_accepted = outputs_accepted + excluded.outputs_accepted,
        new_outputs = new_outputs + excluded.new_outputs,
        outputs_due = outputs_due + excluded.outputs_due,
        outputs_on_time = outputs_on_time + excluded.outputs_on_time;
    INSERT INTO tally_enterprises (year, enterprise_id, province_code, field, activities)
    SELECT CAST(substr(NEW.accepted_on, 1, 4) AS INTEGER), o.enterprise_id, o.province_code, o.field,
           1 FROM orders o
    WHERE o.id = NEW.order_id AND NEW.accepted_on IS NOT NULL
    ON CONFLICT (year, enterprise_id, province_code, field) DO UPDATE SET
        activities = activities + excluded.activities;
END;

CREATE TRIGGER outputs_untallied AFTER DELETE ON outputs
WHEN OLD.accepted_on IS NOT NULL
BEGIN
    INSERT INTO tallies (year, province_code, field, outputs_accepted, new_outputs, outputs_due, outputs_on_time)
    SELECT CAST(substr(OLD.accepted_on, 1, 4) AS INTEGER), o.province_code, o.field,
           -1,
           -(OLD.novelty = 'new'),
           -(OLD.due_on IS NOT NULL),
           -(OLD.due_on IS NOT NULL AND OLD.accepted_on <= coalesce(OLD.extended_to, OLD.due_on)) FROM orders o
    WHERE o.id = OLD.order_id AND OLD.accepted_on IS NOT NULL
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        outputs_accepted = outputs_accepted + excluded.outputs_accepted,
        new_outputs = new_outputs + excluded.new_outputs,
        outputs_due = outputs_due + excluded.outputs_due,
        outputs_on_time = outputs_on_time + excluded.outputs_on_time;
    INSERT INTO tally_enterprises (year, enterprise_id, province_code, field, activities)
    SELECT CAST(substr(OLD.accepted_on, 1, 4) AS INTEGER), o.enterprise_id, o.province_code, o.field,
           -1 FROM orders o
    WHERE o.id = OLD.order_id AND OLD.accepted_on IS NOT NULL
    ON CONFLICT (year, enterprise_id, province_code, field) DO UPDATE SET
        activities = activities + excluded.activities;
END;

CREATE TRIGGER fundings_tallied AFTER INSERT ON fundings
BEGIN
    INSERT INTO tallies (year, province_code, field, state_budget_committed, enterprise_committed, other_committed)
    SELECT CAST(substr(NEW.funded_on, 1, 4) AS INTEGER), o.province_code, o.field,
           NEW.state_budget,
           NEW.enterprise_funds,
           NEW.other FROM orders o
    WHERE o.id = NEW.order_id
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        state_budget_committed = state_budget_committed + excluded.state_budget_committed,
        enterprise_committed = enterprise_committed + excluded.enterprise_committed,
        other_committed = other_committed + excluded.other_committed;
END;

CREATE TRIGGER payments_tallied AFTER INSERT ON payments
BEGIN
    INSERT INTO tallies (year, province_code, field, state_paid, enterprise_paid, other_paid)
    SELECT CAST(substr(NEW.paid_on, 1, 4) AS INTEGER), o.province_code, o.field,
           CASE NEW.source WHEN 'state' THEN NEW.amount ELSE 0 END,
           CASE NEW.source WHEN 'enterprise' THEN NEW.amount ELSE 0 END,
           CASE NEW.source WHEN 'other' THEN NEW.amount ELSE 0 END FROM orders o
    WHERE o.id = NEW.order_id
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        state_paid = state_paid + excluded.state_paid,
        enterprise_paid = enterprise_paid + excluded.enterprise_paid,
        other_paid = other_paid + excluded.other_paid;
    INSERT INTO tally_enterprises (year, enterprise_id, province_code, field, activities)
    SELECT CAST(substr(NEW.paid_on, 1, 4) AS INTEGER), o.enterprise_id, o.province_code, o.field,
           1 FROM orders o
    WHERE o.id = NEW.order_id AND NEW.reverses IS NULL
    ON CONFLICT (year, enterprise_id, province_code, field) DO UPDATE SET
        activities = activities + excluded.activities;
END;

CREATE TRIGGER results_tallied AFTER INSERT ON results
BEGIN
    INSERT INTO tallies (year, province_code, field, results, revenue)
    SELECT CAST(substr(NEW.commercialized_on, 1, 4) AS INTEGER), o.province_code, o.field,
           1,
           NEW.revenue FROM orders o
    WHERE o.id = NEW.order_id
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        results = results + excluded.results,
        revenue = revenue + excluded.revenue;
    INSERT INTO tally_enterprises (year, enterprise_id, province_code, field, activities)
    SELECT CAST(substr(NEW.commercialized_on, 1, 4) AS INTEGER), o.enterprise_id, o.province_code, o.field,
           1 FROM orders o
    WHERE o.id = NEW.order_id
    ON CONFLICT (year, enterprise_id, province_code, field) DO UPDATE SET
        activities = activities + excluded.activities;
END;

CREATE TRIGGER result_retractions_tallied AFTER INSERT ON result_retractions
BEGIN
    INSERT INTO tallies (year, province_code, field, results, revenue)
    SELECT CAST(substr(r.commercialized_on, 1, 4) AS INTEGER), o.province_code, o.field,
           -1,
           -r.revenue FROM results r, orders o
    WHERE r.id = NEW.result_id AND o.id = r.order_id
    ON CONFLICT (year, province_code, field) DO UPDATE SET
        results = results + excluded.results,
        revenue = revenue + excluded.revenue;
    INSERT INTO tally_enterprises (year, enterprise_id, province_code, field, activities)
    SELECT CAST(substr(r.commercialized_on, 1, 4) AS INTEGER), o.enterprise_id, o.province_code, o.field,
           -1 FROM results r, orders o
    WHERE r.id = NEW.result_id AND o.id = r.order_id
    ON CONFLICT (year, enterprise_id, province_code, field) DO UPDATE SET
        activities = activities + excluded.activities;
END;

-- Version 4: who may sign in, their sessions and API tokens, and the audit log. None of these
-- is an order record: they are outside the history's hash chain and the seals, `storders
-- export` does not carry them, and a restore starts with none.

-- An account. login is 3 to 64 of a-z 0-9 . - _ (lowercase only, so one spelling per login).
-- The role fixes the binding: an enterprise account names its enterprise and no province; an
-- officer its province; an auditor a province or none (national); an admin neither.
-- password_hash is bcrypt's modular-crypt text ($2b$12$…, 60 characters); the password itself
-- is never stored. email (version 8, optional) is where `storders notices --digests` sends the
-- account its notices: an address as SMTP takes it (`MailMessage.address`, which also refuses
-- '[', ']' and control characters).
CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY,
    login                TEXT NOT NULL UNIQUE
                         CHECK (length(login) BETWEEN 3 AND 64 AND login NOT GLOB '*[^a-z0-9._-]*'),
    role                 TEXT NOT NULL
                         CHECK ((role = 'enterprise' OR role = 'officer' OR role = 'auditor' OR role = 'admin')),
    enterprise_tax_code  TEXT REFERENCES enterprises (tax_code),
    province_code        TEXT REFERENCES provinces (code),
    password_hash        TEXT NOT NULL CHECK (length(password_hash) = 60 AND password_hash GLOB '$2[aby]$[0-9][0-9]$*'),
    disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL CHECK (updated_at >= created_at),
    email                TEXT CHECK (length(email) BETWEEN 3 AND 254 AND email GLOB '?*@?*.?*'
                                     AND email NOT GLOB '*[ <>(),;:"\]*'),
    CHECK ((enterprise_tax_code IS NOT NULL) = (role = 'enterprise')),
    CHECK (role <> 'officer' OR province_code IS NOT NULL),
    CHECK (province_code IS NULL OR role = 'officer' OR role = 'auditor')
) STRICT;

-- A signed-in browser session. id_hash is the SHA-256 (hex) of the random session id the
-- cookie carries: the id itself is never stored. expires_at is the absolute end; the idle end
-- is last_seen_at plus the server's idle time. Times are UTC 'YYYY-MM-DDTHH:MM:SSZ'.
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY CHECK (length(id_hash) = 64 AND id_hash NOT GLOB '*[^0-9a-f]*'),
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    csrf_token    TEXT NOT NULL CHECK (length(csrf_token) >= 32),
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL CHECK (last_seen_at >= created_at),
    expires_at    TEXT NOT NULL CHECK (expires_at > created_at)
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_by_account ON sessions (account_id);

-- An API token for a program. token_hash is the SHA-256 (hex) of the token, which is shown
-- once when created and never stored; prefix is its first 8 characters, to tell tokens apart
-- in a list. A revoked token stays listed with when it was revoked.
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    token_hash  TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
    prefix      TEXT NOT NULL CHECK (length(prefix) = 8),
    created_at  TEXT NOT NULL,
    revoked_at  TEXT CHECK (revoked_at >= created_at)
) STRICT;

CREATE INDEX api_tokens_by_account ON api_tokens (account_id);

-- Account and role changes, tokens, sign-ins (and failed ones), sign-outs: append-only.
-- actor is who did it (the account, or $STORDERS_ACTOR at the terminal); login the account it
-- concerns; address the client's network address when known.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL CHECK (length(trim(actor)) > 0),
    event    TEXT NOT NULL CHECK (length(event) BETWEEN 1 AND 40 AND event NOT GLOB '*[^a-z_]*'),
    login    TEXT,
    address  TEXT,
    detail   TEXT
) STRICT;

CREATE TRIGGER audit_log_never_changed BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its entries are never changed'); END;

CREATE TRIGGER audit_log_never_deleted BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: its entries are never deleted'); END;

-- Version 5: this database's identity as a source of the national store (docs/national.md).
-- One row, made with the database: id is a random UUID (version 4, lowercase) that never changes,
-- so the national store knows which file published what; name is what people call it (the
-- province's office), which may change. A copy of the file (a backup) carries the same id: the
-- national store's continuity check then refuses it if its history no longer extends what was
-- published. created_at is UTC 'YYYY-MM-DDTHH:MM:SSZ'.
CREATE TABLE source (
    only        INTEGER PRIMARY KEY CHECK (only = 1),
    id          TEXT NOT NULL CHECK (length(id) = 36 AND id GLOB
                    '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-4[0-9a-f][0-9a-f][0-9a-f]-[89ab][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 200),
    created_at  TEXT NOT NULL
) STRICT;

INSERT INTO source (only, id, name, created_at)
SELECT 1, u, 'source ' || substr(u, 1, 8), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM (SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
                   || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2) || '-'
                   || hex(randomblob(6))) AS u);

CREATE TRIGGER source_id_fixed BEFORE UPDATE ON source
WHEN NEW.only IS NOT OLD.only OR NEW.id IS NOT OLD.id OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'a database''s source id never changes; only its name does'); END;

CREATE TRIGGER source_never_deleted BEFORE DELETE ON source
BEGIN SELECT RAISE(ABORT, 'a database''s source identity is never deleted'); END;

-- Version 6: documents attached to an order or one of its outputs, and the checklist of the
-- documents each step needs (docs/documents.md).
--
-- A file's content, stored once however often it is attached: keyed by the lowercase hex SHA-256
-- of its bytes. size is its length in bytes, 1 to 16 MiB (16,777,216 bytes, `Document.maximumSize`:
-- a scanned set of minutes or a contract is a few MiB; the content is held in memory whole when it
-- is hashed, stored, exported and extracted, and travels inside a JSON export). `storders verify`
-- recomputes every content's SHA-256 and size.
CREATE TABLE blobs (
    sha256   TEXT PRIMARY KEY CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    size     INTEGER NOT NULL CHECK (size BETWEEN 1 AND 16777216),
    content  BLOB NOT NULL CHECK (length(content) = size)
) STRICT;

-- One attachment: a file of a kind, attached on a day to an order (both targets NULL), to one of
-- its outputs (output_id) or, from version 9, to one of its payment requests (request_id). number
-- counts documents within the order. A target is a nullable column each, at most one of them set.
-- Attaching writes a `document_attached` event whose record carries the SHA-256, file name, kind,
-- size and target. Documents are never changed or deleted: a corrected file is attached again.
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    number       INTEGER NOT NULL CHECK (number > 0),
    output_id    INTEGER REFERENCES outputs (id),
    kind         TEXT NOT NULL
                 CHECK ((kind = 'minutes' OR kind = 'invoice' OR kind = 'report' OR kind = 'contract' OR kind = 'other')),
    file_name    TEXT NOT NULL CHECK (length(trim(file_name)) > 0 AND length(file_name) <= 1020
                                      AND file_name NOT GLOB '*/*' AND file_name <> '.' AND file_name <> '..'),
    title        TEXT CHECK (length(trim(title)) > 0),
    sha256       TEXT NOT NULL REFERENCES blobs (sha256)
                 CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    size         INTEGER NOT NULL CHECK (size BETWEEN 1 AND 16777216),
    attached_on  TEXT NOT NULL CHECK (date(attached_on, '+0 days') IS attached_on),
    request_id   INTEGER REFERENCES payment_requests (id),
    CHECK (output_id IS NULL OR request_id IS NULL),
    UNIQUE (order_id, number)
) STRICT;

CREATE TRIGGER blobs_never_changed BEFORE UPDATE ON blobs
BEGIN SELECT RAISE(ABORT, 'a document''s content is never changed; attach the corrected file as a new document'); END;

CREATE TRIGGER blobs_never_deleted BEFORE DELETE ON blobs
BEGIN SELECT RAISE(ABORT, 'a document''s content is never deleted'); END;

CREATE TRIGGER documents_never_changed BEFORE UPDATE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are never changed; attach the corrected file as a new document'); END;

CREATE TRIGGER documents_never_deleted BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are never deleted; attach the corrected file as a new document'); END;

CREATE TRIGGER documents_match_content BEFORE INSERT ON documents
WHEN NEW.size IS NOT (SELECT b.size FROM blobs b WHERE b.sha256 = NEW.sha256)
BEGIN SELECT RAISE(ABORT, 'a document names stored content (its SHA-256) of its own size'); END;

CREATE TRIGGER documents_of_own_order BEFORE INSERT ON documents
WHEN (NEW.output_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM outputs x WHERE x.id = NEW.output_id AND x.order_id = NEW.order_id))
  OR NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = NEW.order_id AND o.ordered_on <= NEW.attached_on)
BEGIN SELECT RAISE(ABORT, 'a document is attached to its order or an output of that order, on or after the order''s registration'); END;

-- The checklist: the kinds of document a step needs before it is taken (docs/documents.md).
-- Setting a step's list adds a row; the latest row (highest id) for a step is in force, the
-- earlier ones stay as the record of who set what when. kinds is the list, sorted and
-- comma-separated ('' needs nothing); no row for a step needs nothing. The rows form their own
-- hash chain in id order, with HistoryChain's encoding: hash is the SHA-256 (hex) of
-- "storders-checklist-v1\n" + encode(prev, step, kinds, set_at, set_by), prev the previous row's
-- hash or 64 zeros; `storders verify` recomputes it.
CREATE TABLE checklist (
    id       INTEGER PRIMARY KEY,
    step     TEXT NOT NULL
             CHECK ((step = 'fund' OR step = 'accept' OR step = 'pay' OR step = 'commercialize' OR step = 'request')),
    kinds    TEXT NOT NULL CHECK (kinds NOT GLOB '*[^a-z,]*'),
    set_at   TEXT NOT NULL,
    set_by   TEXT NOT NULL CHECK (length(set_by) > 0),
    hash     TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*')
) STRICT;

CREATE INDEX checklist_by_step ON checklist (step, id);

CREATE TRIGGER checklist_never_changed BEFORE UPDATE ON checklist
BEGIN SELECT RAISE(ABORT, 'the checklist''s rows are never changed: set the step again, the latest is in force'); END;

CREATE TRIGGER checklist_never_deleted BEFORE DELETE ON checklist
BEGIN SELECT RAISE(ABORT, 'the checklist''s rows are never deleted: set the step again, the latest is in force'); END;

-- Version 7: payment requests (docs/requests.md). The enterprise asks to be paid an amount from a
-- source against one accepted output: a row `requested`. An officer approves it (approved_on) or
-- returns it with a reason (returned_on, return_reason); an approved request is disbursed by a
-- payment (payment_id, which carries the day and the treasury's reference) and is `paid`, or is
-- returned after all. `returned` and `paid` are final. number counts requests within the order.
-- While a request is open (requested or approved) its amount is held: the library counts it, with
-- the payments, against what remains of the output's value and of the source's funding.
CREATE TABLE payment_requests (
    id             INTEGER PRIMARY KEY,
    order_id       INTEGER NOT NULL REFERENCES orders (id),
    number         INTEGER NOT NULL CHECK (number > 0),
    output_id      INTEGER NOT NULL REFERENCES outputs (id),
    amount         INTEGER NOT NULL CHECK (amount > 0),
    source         TEXT NOT NULL CHECK ((source = 'state' OR source = 'enterprise' OR source = 'other')),
    requested_on   TEXT NOT NULL CHECK (date(requested_on, '+0 days') IS requested_on),
    state          TEXT NOT NULL CHECK ((state = 'requested' OR state = 'approved' OR state = 'returned' OR state = 'paid')),
    approved_on    TEXT CHECK (date(approved_on, '+0 days') IS approved_on AND approved_on >= requested_on),
    returned_on    TEXT CHECK (date(returned_on, '+0 days') IS returned_on
                               AND returned_on >= coalesce(approved_on, requested_on)),
    return_reason  TEXT CHECK (length(trim(return_reason)) > 0),
    payment_id     INTEGER UNIQUE REFERENCES payments (id),
    CHECK (state <> 'requested' OR approved_on IS NULL),
    CHECK ((state <> 'approved' AND state <> 'paid') OR approved_on IS NOT NULL),
    CHECK ((returned_on IS NOT NULL) = (state = 'returned')),
    CHECK ((return_reason IS NOT NULL) = (state = 'returned')),
    CHECK ((payment_id IS NOT NULL) = (state = 'paid')),
    UNIQUE (order_id, number)
) STRICT;

-- The inbox's open requests, oldest first: a request waits for a decision since it was made, an
-- approved one for its disbursement since its approval.
CREATE INDEX payment_requests_open_by_date ON payment_requests (coalesce(approved_on, requested_on))
WHERE state = 'requested' OR state = 'approved';
-- What open requests hold of an output (and, through the output, of its order's sources).
CREATE INDEX payment_requests_open_by_output ON payment_requests (output_id)
WHERE state = 'requested' OR state = 'approved';

CREATE TRIGGER payment_requests_never_deleted BEFORE DELETE ON payment_requests
BEGIN SELECT RAISE(ABORT, 'payment requests are never deleted; an open one is returned'); END;

CREATE TRIGGER payment_requests_made_open BEFORE INSERT ON payment_requests
WHEN NEW.state <> 'requested'
  OR NOT EXISTS (SELECT 1 FROM outputs x JOIN orders o ON o.id = x.order_id
                 WHERE x.id = NEW.output_id AND x.order_id = NEW.order_id AND x.accepted_on <= NEW.requested_on
                   AND (o.state = 'funded' OR o.state = 'delivered' OR o.state = 'commercialized'))
BEGIN SELECT RAISE(ABORT, 'a payment request is made requested, for an accepted output of its own order, on or after the acceptance, while the order is funded, delivered or commercialized'); END;

CREATE TRIGGER payment_requests_within_output BEFORE INSERT ON payment_requests
WHEN (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.output_id = NEW.output_id)
     + (SELECT coalesce(sum(q.amount), 0) FROM payment_requests q
        WHERE q.output_id = NEW.output_id AND (q.state = 'requested' OR q.state = 'approved'))
     + NEW.amount > (SELECT x.value FROM outputs x WHERE x.id = NEW.output_id)
BEGIN SELECT RAISE(ABORT, 'a payment request may not exceed what remains of its output''s value, counting the payments and the open requests'); END;

CREATE TRIGGER payment_requests_within_funding BEFORE INSERT ON payment_requests
WHEN (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.order_id = NEW.order_id AND p.source = NEW.source)
     + (SELECT coalesce(sum(q.amount), 0) FROM payment_requests q
        WHERE q.order_id = NEW.order_id AND q.source = NEW.source AND (q.state = 'requested' OR q.state = 'approved'))
     + NEW.amount
     > coalesce((SELECT CASE NEW.source WHEN 'state' THEN f.state_budget WHEN 'enterprise' THEN f.enterprise_funds
                                        ELSE f.other END
                 FROM fundings f WHERE f.order_id = NEW.order_id), 0)
BEGIN SELECT RAISE(ABORT, 'a payment request may not exceed what remains of its source''s funding for the order, counting the payments and the open requests'); END;

-- requested → approved → paid, requested → returned, approved → returned; nothing else changes.
CREATE TRIGGER payment_requests_steps BEFORE UPDATE ON payment_requests
WHEN NEW.id IS NOT OLD.id OR NEW.order_id IS NOT OLD.order_id OR NEW.number IS NOT OLD.number
  OR NEW.output_id IS NOT OLD.output_id OR NEW.amount IS NOT OLD.amount OR NEW.source IS NOT OLD.source
  OR NEW.requested_on IS NOT OLD.requested_on
  OR (OLD.approved_on IS NOT NULL AND NEW.approved_on IS NOT OLD.approved_on)
  OR NOT ((OLD.state = 'requested' AND (NEW.state = 'approved' OR NEW.state = 'returned'))
          OR (OLD.state = 'approved' AND (NEW.state = 'paid' OR NEW.state = 'returned')))
BEGIN SELECT RAISE(ABORT, 'a payment request goes requested → approved → paid, or to returned from requested or approved; nothing else about it changes'); END;

CREATE TRIGGER payment_requests_paid_by_its_payment BEFORE UPDATE ON payment_requests
WHEN NEW.state = 'paid'
 AND NOT EXISTS (SELECT 1 FROM payments p
                 WHERE p.id = NEW.payment_id AND p.reverses IS NULL AND p.order_id = NEW.order_id
                   AND p.output_id = NEW.output_id AND p.amount = NEW.amount AND p.source = NEW.source
                   AND p.paid_on >= NEW.approved_on)
BEGIN SELECT RAISE(ABORT, 'a payment request is paid by a payment of its own order, output, amount and source, dated on or after its approval'); END;

-- Version 8: advances (tạm ứng) and their settlement (docs/advances.md). After funding an
-- officer advances part of the state budget (kind 'advance', with the State Treasury's reference);
-- the enterprise returns what is not settled (kind 'recovery'). Both are numbered together within
-- the order and never changed. limit_share is the advance limit in force when the advance was made
-- (basis points of the state budget, a row of advance_limits). What is outstanding of an order's
-- advances is sum(advances) - sum(recoveries) - sum(payments.settled); every state payment settles
-- it first (Domain/Advance.swift, AdvanceRule, one definition; the triggers below repeat it).
CREATE TABLE advances (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    number      INTEGER NOT NULL CHECK (number > 0),
    kind        TEXT NOT NULL CHECK ((kind = 'advance' OR kind = 'recovery')),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    made_on     TEXT NOT NULL CHECK (date(made_on, '+0 days') IS made_on),
    reference   TEXT CHECK (length(trim(reference)) > 0),
    reason      TEXT CHECK (length(trim(reason)) > 0),
    limit_share INTEGER CHECK (limit_share BETWEEN 0 AND 10000),
    CHECK ((kind = 'advance' AND reference IS NOT NULL AND reason IS NULL AND limit_share IS NOT NULL)
           OR (kind = 'recovery' AND reason IS NOT NULL AND limit_share IS NULL)),
    UNIQUE (order_id, number)
) STRICT;

-- The indicators' settlements of a year: the few payments that settled advances.
CREATE INDEX payments_settling ON payments (paid_on) WHERE settled <> 0;

-- The advance limit: the share of an order's state budget that may be advanced, in basis points
-- (1/10,000), or NULL for none (no advance may then be made). Insert-only: the latest row is in
-- force, the earlier ones are the record of who set what when. A new database has none. Since
-- version 10 each row is hash-chained after the one before, like the checklist's
-- (HistoryChain.advanceLimitHash), so `verify` names a row added, edited or removed outside storders.
CREATE TABLE advance_limits (
    id          INTEGER PRIMARY KEY,
    share       INTEGER CHECK (share BETWEEN 0 AND 10000),
    set_at      TEXT NOT NULL,
    set_by      TEXT NOT NULL CHECK (length(set_by) > 0),
    hash        TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*')
) STRICT;

CREATE TRIGGER advance_limits_never_changed BEFORE UPDATE ON advance_limits
BEGIN SELECT RAISE(ABORT, 'the advance limit''s rows are never changed: set it again, the latest is in force'); END;

CREATE TRIGGER advance_limits_never_deleted BEFORE DELETE ON advance_limits
BEGIN SELECT RAISE(ABORT, 'the advance limit''s rows are never deleted: set it again, the latest is in force'); END;

CREATE TRIGGER advances_never_changed BEFORE UPDATE ON advances
BEGIN SELECT RAISE(ABORT, 'advances are never changed; an advance not settled is recovered (storders advance recover)'); END;

CREATE TRIGGER advances_never_deleted BEFORE DELETE ON advances
BEGIN SELECT RAISE(ABORT, 'advances are never deleted; an advance not settled is recovered (storders advance recover)'); END;

CREATE TRIGGER advances_made_while_funded BEFORE INSERT ON advances
WHEN NEW.kind = 'advance'
 AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = NEW.order_id AND o.state = 'funded' AND o.funded_on <= NEW.made_on)
BEGIN SELECT RAISE(ABORT, 'an advance is made while its order is funded, dated on or after the funding'); END;

CREATE TRIGGER advances_within_limit BEFORE INSERT ON advances
WHEN NEW.kind = 'advance'
 AND (NOT EXISTS (SELECT 1 FROM advance_limits l WHERE l.share = NEW.limit_share)
      OR (SELECT coalesce(sum(CASE a.kind WHEN 'advance' THEN a.amount ELSE -a.amount END), 0)
          FROM advances a WHERE a.order_id = NEW.order_id) + NEW.amount
         > (SELECT f.state_budget / 10000 * NEW.limit_share + f.state_budget % 10000 * NEW.limit_share / 10000
            FROM fundings f WHERE f.order_id = NEW.order_id))
BEGIN SELECT RAISE(ABORT, 'an advance is made under an advance limit the database set, and what is advanced and not recovered stays within that share of the state budget'); END;

CREATE TRIGGER advances_within_budget BEFORE INSERT ON advances
WHEN NEW.kind = 'advance'
 AND (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.order_id = NEW.order_id AND p.source = 'state')
     + (SELECT coalesce(sum(CASE a.kind WHEN 'advance' THEN a.amount ELSE -a.amount END), 0)
        FROM advances a WHERE a.order_id = NEW.order_id)
     - (SELECT coalesce(sum(p.settled), 0) FROM payments p WHERE p.order_id = NEW.order_id)
     + NEW.amount > coalesce((SELECT f.state_budget FROM fundings f WHERE f.order_id = NEW.order_id), 0)
BEGIN SELECT RAISE(ABORT, 'an advance may not exceed what remains of the state budget after its state payments and outstanding advances'); END;

CREATE TRIGGER advances_recovery_within_outstanding BEFORE INSERT ON advances
WHEN NEW.kind = 'recovery'
 AND ((SELECT coalesce(sum(CASE a.kind WHEN 'advance' THEN a.amount ELSE -a.amount END), 0)
       FROM advances a WHERE a.order_id = NEW.order_id)
      - (SELECT coalesce(sum(p.settled), 0) FROM payments p WHERE p.order_id = NEW.order_id) < NEW.amount
      OR EXISTS (SELECT 1 FROM advances a WHERE a.order_id = NEW.order_id AND a.made_on > NEW.made_on)
      OR NEW.made_on < (SELECT o.cancelled_on FROM orders o WHERE o.id = NEW.order_id))
BEGIN SELECT RAISE(ABORT, 'a recovery is at most what is outstanding of its order''s advances, dated on or after its advances and recoveries (and the cancellation)'); END;

-- A state payment settles what is outstanding first: its settled part is min(amount, outstanding);
-- a reversal undoes the settlement of the payment it reverses only after the cash that payment sent.
CREATE TRIGGER payments_settle_advances_first BEFORE INSERT ON payments
WHEN NEW.settled IS NOT (
  CASE WHEN NEW.reverses IS NOT NULL
       THEN (SELECT -min(p.settled, max(0, -NEW.amount - (p.amount - p.settled))) FROM payments p WHERE p.id = NEW.reverses)
       WHEN NEW.source = 'state'
       THEN max(0, min(NEW.amount,
                       (SELECT coalesce(sum(CASE a.kind WHEN 'advance' THEN a.amount ELSE -a.amount END), 0)
                        FROM advances a WHERE a.order_id = NEW.order_id)
                       - (SELECT coalesce(sum(p.settled), 0) FROM payments p WHERE p.order_id = NEW.order_id)))
       ELSE 0 END)
BEGIN SELECT RAISE(ABORT, 'a state payment settles the order''s outstanding advances first (settled = the least of its amount and what is outstanding), and a reversal undoes a settlement only after the cash its payment sent'); END;

-- An order with advances outstanding is neither cancelled nor commercialized (docs/advances.md).
CREATE TRIGGER orders_closed_without_outstanding_advances BEFORE UPDATE ON orders
WHEN ((NEW.state = 'cancelled' AND OLD.state IS NOT 'cancelled')
      OR (NEW.state = 'commercialized' AND OLD.state = 'delivered'))
 AND (SELECT coalesce(sum(CASE a.kind WHEN 'advance' THEN a.amount ELSE -a.amount END), 0)
      FROM advances a WHERE a.order_id = NEW.id)
     - (SELECT coalesce(sum(p.settled), 0) FROM payments p WHERE p.order_id = NEW.id) > 0
BEGIN SELECT RAISE(ABORT, 'an order with advances outstanding is not cancelled or commercialized until they are settled by payments or recovered'); END;

-- Version 9: papers attached to a payment request (docs/documents.md). The enterprise attaches its
-- invoice to the request it made, and the checklist's step `request` names the kinds an officer
-- needs on the request before approving it. A document names a request of its own order, dated on
-- or after the request was made.
CREATE TRIGGER documents_of_own_request BEFORE INSERT ON documents
WHEN NEW.request_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM payment_requests q
                  WHERE q.id = NEW.request_id AND q.order_id = NEW.order_id AND q.requested_on <= NEW.attached_on)
BEGIN SELECT RAISE(ABORT, 'a document is attached to a payment request of its own order, on or after the request was made'); END;

-- Version 10: each order's advance balance (docs/advances.md), kept as its advances, recoveries
-- and settling payments are written, so the inbox, `advance list --outstanding` and `order show`
-- read one row per order instead of summing its records. Derived data like the tallies: the
-- triggers below add each row's part in the same statement; `storders verify` recomputes every
-- balance from the records (Store.advanceBalancesFromRecords) and names any order whose balance
-- differs; an upgrade to version 10 fills the table from the records with that same query. The
-- rules on advances above read the records themselves, never this table. An order has a row from
-- its first advance on (a recovery or a settlement never comes first). first_on and first_number
-- are its earliest advance (by date, then number): where the inbox lists it from.
CREATE TABLE advance_balances (
    order_id     INTEGER PRIMARY KEY REFERENCES orders (id),
    advanced     INTEGER NOT NULL,   -- the amounts of its advances
    recovered    INTEGER NOT NULL,   -- of its recoveries
    settled      INTEGER NOT NULL,   -- settled by its state payments, net of reversals
    first_on     TEXT NOT NULL,
    first_number INTEGER NOT NULL
) STRICT;

-- The inbox's advances, oldest first: only the orders with something outstanding.
CREATE INDEX advance_balances_open ON advance_balances (first_on, order_id) WHERE advanced > recovered + settled;

CREATE TRIGGER advances_balanced AFTER INSERT ON advances
BEGIN
    INSERT INTO advance_balances (order_id, advanced, recovered, settled, first_on, first_number)
    VALUES (NEW.order_id, iif(NEW.kind = 'advance', NEW.amount, 0), iif(NEW.kind = 'recovery', NEW.amount, 0), 0,
            NEW.made_on, NEW.number)
    ON CONFLICT (order_id) DO UPDATE SET
        advanced = advanced + excluded.advanced,
        recovered = recovered + excluded.recovered,
        first_number = iif(NEW.kind = 'advance' AND NEW.made_on < first_on, NEW.number, first_number),
        first_on = iif(NEW.kind = 'advance' AND NEW.made_on < first_on, NEW.made_on, first_on);
END;

CREATE TRIGGER payments_balanced AFTER INSERT ON payments
WHEN NEW.settled <> 0
BEGIN
    UPDATE advance_balances SET settled = settled + NEW.settled WHERE order_id = NEW.order_id;
END;
