-- STOrders schema: the single source of truth.
--
-- The program creates a new database by running exactly this file (it is embedded in the
-- binary), so `sqlite3 new.db < schema.sql` and `storders init --db new.db` give the same
-- schema. Every rule that can be stated over one row lives here as a CHECK; cross-row rules
-- (a payment within what remains of an output) are enforced by the library inside one
-- transaction and by the triggers below.
--
-- Conventions: money is INTEGER đồng (VND has no minor unit); dates are TEXT 'YYYY-MM-DD'
-- (checked to be real calendar days: SQLite's date() with a modifier normalises 2026-02-30
-- to 2026-03-02, so `date(d, '+0 days') IS d` holds only for a real day); booleans are INTEGER 0/1; all tables are STRICT.

PRAGMA application_id = 1398034258;  -- 0x53544F52, 'STOR': marks a STOrders database
PRAGMA user_version = 1;             -- schema version; the program refuses newer files

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
    field               TEXT NOT NULL CHECK (field IN ('science', 'innovation', 'digital')),
    province_code       TEXT NOT NULL REFERENCES provinces (code),
    enterprise_id       INTEGER NOT NULL REFERENCES enterprises (id),
    state               TEXT NOT NULL DEFAULT 'ordered'
                        CHECK (state IN ('ordered', 'funded', 'delivered', 'commercialized', 'cancelled')),
    ordered_on          TEXT NOT NULL CHECK (date(ordered_on, '+0 days') IS ordered_on),
    funded_on           TEXT CHECK (date(funded_on, '+0 days') IS funded_on AND funded_on >= ordered_on),
    delivered_on        TEXT CHECK (date(delivered_on, '+0 days') IS delivered_on AND delivered_on >= funded_on),
    commercialized_on   TEXT CHECK (date(commercialized_on, '+0 days') IS commercialized_on
                                    AND commercialized_on >= delivered_on),
    cancelled_on        TEXT CHECK (date(cancelled_on, '+0 days') IS cancelled_on AND cancelled_on >= ordered_on),
    cancel_reason       TEXT CHECK (length(trim(cancel_reason)) > 0),
    CHECK ((funded_on IS NOT NULL) = (state IN ('funded', 'delivered', 'commercialized')
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

-- A market-oriented deliverable of an order. value is what is paid when it is accepted.
CREATE TABLE outputs (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    number          INTEGER NOT NULL CHECK (number > 0),
    title           TEXT NOT NULL CHECK (length(trim(title)) > 0),
    type            TEXT NOT NULL CHECK (type IN ('product', 'service', 'model')),
    novelty         TEXT NOT NULL CHECK (novelty IN ('new', 'improved')),
    value           INTEGER NOT NULL CHECK (value > 0),
    accepted_on     TEXT CHECK (date(accepted_on, '+0 days') IS accepted_on),
    evidence        TEXT CHECK (evidence IS NULL OR accepted_on IS NOT NULL),
    UNIQUE (order_id, number)
) STRICT;

CREATE INDEX outputs_by_acceptance ON outputs (accepted_on) WHERE accepted_on IS NOT NULL;

-- The commitment that makes an order funded: one per order, amounts by source.
CREATE TABLE fundings (
    order_id            INTEGER PRIMARY KEY REFERENCES orders (id),
    state_budget        INTEGER NOT NULL DEFAULT 0 CHECK (state_budget >= 0),
    enterprise_funds    INTEGER NOT NULL DEFAULT 0 CHECK (enterprise_funds >= 0),
    other               INTEGER NOT NULL DEFAULT 0 CHECK (other >= 0),
    other_source        TEXT CHECK (length(trim(other_source)) > 0),
    funded_on           TEXT NOT NULL CHECK (date(funded_on, '+0 days') IS funded_on),
    CHECK (typeof(state_budget + enterprise_funds + other) = 'integer'),   -- no overflow
    CHECK (state_budget + enterprise_funds + other > 0),
    CHECK ((other > 0) = (other_source IS NOT NULL))
) STRICT;

-- Money disbursed against one accepted output. number counts payments within the order.
CREATE TABLE payments (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    number      INTEGER NOT NULL CHECK (number > 0),
    output_id   INTEGER NOT NULL REFERENCES outputs (id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    source      TEXT NOT NULL CHECK (source IN ('state', 'enterprise', 'other')),
    reference   TEXT,
    paid_on     TEXT NOT NULL CHECK (date(paid_on, '+0 days') IS paid_on),
    UNIQUE (order_id, number)
) STRICT;

CREATE INDEX payments_by_output ON payments (output_id);
CREATE INDEX payments_by_date ON payments (paid_on);

-- A commercialization of a delivered order. Revenue may be 0 (internal use earns none).
CREATE TABLE results (
    id                  INTEGER PRIMARY KEY,
    order_id            INTEGER NOT NULL REFERENCES orders (id),
    number              INTEGER NOT NULL CHECK (number > 0),
    channel             TEXT NOT NULL
                        CHECK (channel IN ('sale', 'license', 'transfer', 'spin-off', 'internal-use')),
    revenue             INTEGER NOT NULL CHECK (revenue >= 0),
    note                TEXT,
    commercialized_on   TEXT NOT NULL CHECK (date(commercialized_on, '+0 days') IS commercialized_on),
    UNIQUE (order_id, number)
) STRICT;

CREATE INDEX results_by_date ON results (commercialized_on);

-- One line of an order's history, append-only. occurred_on is the business date (--date),
-- recorded_at the moment it was written (UTC, ISO-8601).
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    occurred_on     TEXT NOT NULL CHECK (date(occurred_on, '+0 days') IS occurred_on),
    recorded_at     TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN (
                        'registered', 'output_added', 'funded', 'output_accepted', 'delivered',
                        'payment_recorded', 'commercialized', 'result_recorded', 'cancelled')),
    details         TEXT NOT NULL,
    actor           TEXT NOT NULL CHECK (length(actor) > 0)
) STRICT;

CREATE INDEX events_by_order ON events (order_id, id);

-- The indicators read a year's acceptances, payments and results through these (each carries
-- what the report sums, so only the orders' rows are looked up).
CREATE INDEX outputs_for_indicators ON outputs (accepted_on, order_id, novelty) WHERE accepted_on IS NOT NULL;
CREATE INDEX payments_for_indicators ON payments (paid_on, order_id, source, amount);
CREATE INDEX results_for_indicators ON results (commercialized_on, order_id, revenue);

-- The yearly targets the indicators are measured against (each a floor: "at least"). The row
-- with province_code NULL is the national default, seeded with the framework's figures; a
-- province may set its own, which then applies to it instead. A count target is a whole number;
-- the share target is stored in basis points (8000 = 80 %), never as a floating-point number.
CREATE TABLE targets (
    key             TEXT NOT NULL CHECK (key IN ('new_or_improved_outputs', 'enterprises_innovating',
                                                 'innovative_startups', 'orders_decided_share')),
    province_code   TEXT REFERENCES provinces (code),
    value           INTEGER NOT NULL CHECK (value > 0 AND (key <> 'orders_decided_share' OR value <= 10000)),
    set_at          TEXT NOT NULL,
    set_by          TEXT NOT NULL CHECK (length(set_by) > 0)
) STRICT;

CREATE UNIQUE INDEX targets_by_key ON targets (key, coalesce(province_code, ''));

INSERT INTO targets (key, province_code, value, set_at, set_by) VALUES
    ('new_or_improved_outputs', NULL, 30, '2025-07-01T00:00:00Z', 'framework'),
    ('enterprises_innovating', NULL, 100, '2025-07-01T00:00:00Z', 'framework'),
    ('innovative_startups', NULL, 5, '2025-07-01T00:00:00Z', 'framework'),
    ('orders_decided_share', NULL, 8000, '2025-07-01T00:00:00Z', 'framework');
