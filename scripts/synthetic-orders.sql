-- Synthetic orders for the benchmark and the screenshot, inserted directly with SQL (100,000
-- orders in seconds). scripts/bench-report and scripts/screenshot-report use it only when this
-- storders has no `generate` command. Run it on a fresh database made by `storders init`, with
-- its triggers dropped (rows are inserted in their final states, not step by step: this is a
-- throw-away database, never a real one), after `.parameter set :orders N` and
-- `.parameter set :first_year Y` (orders are registered over Y to Y+4).
-- Deterministic: every choice is a multiplicative hash of the row number, never random().
.bail on
BEGIN;

-- One enterprise per five orders, across the 34 provinces; one in nine an innovative startup.
-- Tax codes: '0' || '1' || 7 digits of the candidate number, then the check digit
-- (weights 31 29 23 19 17 13 7 5 3, s = sum mod 11, check = 10 - s; candidates with s = 0 skipped).
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :orders / 5 * 11 / 10 + 20),
base(i, b) AS (SELECT i, printf('01%07d', i) FROM n),
sums(i, b, s) AS (
    SELECT i, b, (31 * substr(b, 1, 1) + 29 * substr(b, 2, 1) + 23 * substr(b, 3, 1) + 19 * substr(b, 4, 1)
                + 17 * substr(b, 5, 1) + 13 * substr(b, 6, 1) + 7 * substr(b, 7, 1) + 5 * substr(b, 8, 1)
                + 3 * substr(b, 9, 1)) % 11 FROM base),
valid(k, code) AS (SELECT row_number() OVER (ORDER BY i), b || ((10 - s) % 10) FROM sums WHERE s <> 0),
prov(n, code) AS (SELECT row_number() OVER (ORDER BY code) - 1, code FROM provinces)
INSERT INTO enterprises (tax_code, name, province_code, innovative_startup, registered_on)
SELECT valid.code,
       'Công ty ' || CASE k % 4 WHEN 0 THEN 'TNHH Công nghệ ' WHEN 1 THEN 'Cổ phần Đổi mới ' WHEN 2 THEN 'TNHH Số hóa '
                                ELSE 'Cổ phần Kỹ thuật ' END || 'Việt Tiến ' || k,
       prov.code, k % 9 = 0, (:first_year - 1) || '-06-01'
FROM valid JOIN prov ON prov.n = (k * 2654435761) % 34 WHERE k <= max(1, :orders / 5);

-- Orders: field, enterprise, registration day and final state from hashes of the row number.
-- States: 8 % ordered, 17 % funded, 25 % delivered, 38 % commercialized, 12 % cancelled.
CREATE TEMP TABLE plan AS
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :orders),
h(i, a, b, c, d, e) AS (
    SELECT i, (i * 2654435761) % 1000003, (i * 40503 + 17) % 997, (i * 69069 + 5) % 1009, (i * 1103515245 + 12345) % 10007,
           (i * 22695477 + 1) % 101 FROM n)
SELECT i,
       CASE a % 3 WHEN 0 THEN 'science' WHEN 1 THEN 'innovation' ELSE 'digital' END AS field,
       1 + (a % max(1, :orders / 5)) AS enterprise_id,
       date(:first_year || '-01-01', '+' || (d % 1826) || ' days') AS ordered_on,
       CASE WHEN e < 8 THEN 'ordered' WHEN e < 25 THEN 'funded' WHEN e < 50 THEN 'delivered'
            WHEN e < 88 THEN 'commercialized' ELSE 'cancelled' END AS state,
       10 + b % 90 AS to_fund, 120 + c % 300 AS to_deliver, 20 + (b + c) % 240 AS to_market,
       1 + c % 2 AS outputs, 300000000 + (d % 50) * 20000000 AS value1, 200000000 + (b % 40) * 15000000 AS value2
FROM h;

INSERT INTO orders (id, code, title, field, province_code, enterprise_id, state, ordered_on, funded_on, delivered_on,
                    commercialized_on, cancelled_on, cancel_reason)
SELECT i, printf('SYN-%07d', i),
       CASE field WHEN 'science' THEN 'Nghiên cứu vật liệu mới số ' WHEN 'innovation' THEN 'Cải tiến quy trình sản xuất số '
                  ELSE 'Nền tảng chuyển đổi số số ' END || i,
       field, (SELECT province_code FROM enterprises WHERE id = enterprise_id), enterprise_id, state, ordered_on,
       CASE WHEN state IN ('funded', 'delivered', 'commercialized') OR (state = 'cancelled' AND i % 3 = 0)
            THEN date(ordered_on, '+' || to_fund || ' days') END,
       CASE WHEN state IN ('delivered', 'commercialized') THEN date(ordered_on, '+' || (to_fund + to_deliver) || ' days') END,
       CASE WHEN state = 'commercialized' THEN date(ordered_on, '+' || (to_fund + to_deliver + to_market) || ' days') END,
       CASE WHEN state = 'cancelled' THEN date(ordered_on, '+' || (to_fund + 15) || ' days') END,
       CASE WHEN state = 'cancelled' THEN 'Doanh nghiệp rút đề xuất' END
FROM plan;

INSERT INTO outputs (order_id, number, title, type, novelty, value, accepted_on)
SELECT p.i, 1, 'Sản phẩm chính của nhiệm vụ ' || p.i, CASE p.i % 3 WHEN 0 THEN 'product' WHEN 1 THEN 'model' ELSE 'service' END,
       CASE WHEN p.i % 5 < 2 THEN 'new' ELSE 'improved' END, p.value1,
       CASE WHEN o.delivered_on IS NOT NULL THEN date(o.delivered_on, '-' || (p.i % 60) || ' days') END
FROM plan p JOIN orders o ON o.id = p.i
UNION ALL
SELECT p.i, 2, 'Quy trình chuyển giao của nhiệm vụ ' || p.i, 'model', 'new', p.value2, o.delivered_on
FROM plan p JOIN orders o ON o.id = p.i WHERE p.outputs = 2;
-- The first output may not be accepted before the funding.
UPDATE outputs SET accepted_on = (SELECT delivered_on FROM orders WHERE id = order_id)
WHERE accepted_on < (SELECT funded_on FROM orders WHERE id = order_id);

-- Funding covers the outputs: 60 % state budget, the rest the enterprise's, and a venture fund on one in seven.
INSERT INTO fundings (order_id, state_budget, enterprise_funds, other, other_source, funded_on)
SELECT o.id, t.total * 6 / 10, t.total - t.total * 6 / 10 - CASE WHEN o.id % 7 = 0 THEN t.total / 10 ELSE 0 END,
       CASE WHEN o.id % 7 = 0 THEN t.total / 10 ELSE 0 END,
       CASE WHEN o.id % 7 = 0 THEN 'Quỹ đầu tư mạo hiểm' END, o.funded_on
FROM orders o JOIN (SELECT order_id, sum(value) AS total FROM outputs GROUP BY order_id) t ON t.order_id = o.id
WHERE o.funded_on IS NOT NULL;

-- Each accepted output is paid 60 % from the state budget 10 days after acceptance, the rest by the enterprise.
INSERT INTO payments (order_id, number, output_id, amount, source, reference, paid_on)
SELECT x.order_id, x.number * 2 - 1, x.id, x.value * 6 / 10, 'state', 'UNC ' || x.id, date(x.accepted_on, '+10 days')
FROM outputs x WHERE x.accepted_on IS NOT NULL
UNION ALL
SELECT x.order_id, x.number * 2, x.id, x.value - x.value * 6 / 10, 'enterprise', NULL, date(x.accepted_on, '+20 days')
FROM outputs x JOIN fundings f ON f.order_id = x.order_id
WHERE x.accepted_on IS NOT NULL AND f.other = 0;

-- One result per commercialized order (two for one in four), through a channel, with revenue.
INSERT INTO results (order_id, number, channel, revenue, note, commercialized_on)
SELECT id, 1, CASE id % 5 WHEN 0 THEN 'sale' WHEN 1 THEN 'license' WHEN 2 THEN 'transfer' WHEN 3 THEN 'spin-off'
                          ELSE 'internal-use' END,
       CASE WHEN id % 5 = 4 THEN 0 ELSE 500000000 + (id % 97) * 45000000 END, 'Hợp đồng thương mại hóa', commercialized_on
FROM orders WHERE state = 'commercialized'
UNION ALL
SELECT id, 2, 'sale', 250000000 + (id % 13) * 10000000, 'Hợp đồng bổ sung', date(commercialized_on, '+90 days')
FROM orders WHERE state = 'commercialized' AND id % 4 = 0;

DROP TABLE plan;
COMMIT;
ANALYZE;
