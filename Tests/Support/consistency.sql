-- The cross-row rules of docs/domain.md as one query: every row it returns is a broken rule, named.
-- Reversals are payments rows with negative amounts (so sums are net) and retracted results stay
-- in results with a row in result_retractions (schema.sql). Used by the reliability tests (crash trials, concurrent writers, the state-machine property
-- test) after each step; an empty result means the database is consistent. A command that was
-- cut off halfway (its order row written but not its event, a payment without its event…)
-- shows up here.
WITH
  out_count AS (SELECT order_id, count(*) AS n, max(number) AS top, sum(value) AS total,
                       count(accepted_on) AS accepted FROM outputs GROUP BY order_id),
  pay_count AS (SELECT order_id, count(*) AS n, max(number) AS top, count(reverses) AS reversals
                FROM payments GROUP BY order_id),
  res_count AS (SELECT r.order_id, count(*) AS n, max(r.number) AS top, count(t.id) AS retracted
                FROM results r LEFT JOIN result_retractions t ON t.result_id = r.id GROUP BY r.order_id),
  ev AS (SELECT order_id,
                sum(action = 'registered') AS registered, sum(action = 'output_added') AS added,
                sum(action = 'funded') AS funded, sum(action = 'output_accepted') AS accepted,
                sum(action = 'delivered') AS delivered, sum(action = 'payment_recorded') AS paid,
                sum(action = 'payment_reversed') AS reversed,
                sum(action IN ('commercialized', 'result_recorded')) AS results,
                sum(action = 'result_retracted') AS retracted, sum(action = 'cancelled') AS cancelled
         FROM events GROUP BY order_id),
  o AS MATERIALIZED (SELECT o.*, coalesce(oc.n, 0) AS outputs, coalesce(oc.top, 0) AS outputs_top,
               coalesce(oc.total, 0) AS outputs_value, coalesce(oc.accepted, 0) AS accepted,
               coalesce(pc.n, 0) AS payments, coalesce(pc.top, 0) AS payments_top,
               coalesce(pc.reversals, 0) AS reversals,
               coalesce(rc.n, 0) AS results, coalesce(rc.top, 0) AS results_top,
               coalesce(rc.retracted, 0) AS retracted,
               f.order_id IS NOT NULL AS has_funding,
               coalesce(f.state_budget + f.enterprise_funds + f.other, 0) AS funding_total,
               coalesce(ev.registered, 0) AS ev_registered, coalesce(ev.added, 0) AS ev_added,
               coalesce(ev.funded, 0) AS ev_funded, coalesce(ev.accepted, 0) AS ev_accepted,
               coalesce(ev.delivered, 0) AS ev_delivered, coalesce(ev.paid, 0) AS ev_paid,
               coalesce(ev.reversed, 0) AS ev_reversed, coalesce(ev.results, 0) AS ev_results,
               coalesce(ev.retracted, 0) AS ev_retracted, coalesce(ev.cancelled, 0) AS ev_cancelled
        FROM orders o
        LEFT JOIN out_count oc ON oc.order_id = o.id
        LEFT JOIN pay_count pc ON pc.order_id = o.id
        LEFT JOIN res_count rc ON rc.order_id = o.id
        LEFT JOIN fundings f ON f.order_id = o.id
        LEFT JOIN ev ON ev.order_id = o.id)
SELECT code || ': state ' || state || ' but ' || (outputs - accepted) || ' output(s) unaccepted'
  FROM o WHERE state IN ('delivered', 'commercialized') AND accepted < outputs
UNION ALL SELECT code || ': delivered with no outputs' FROM o WHERE state IN ('delivered', 'commercialized') AND outputs = 0
UNION ALL SELECT code || ': funded but every output accepted (should be delivered)'
  FROM o WHERE state = 'funded' AND accepted = outputs
UNION ALL SELECT code || ': outputs accepted while ' || state FROM o WHERE state = 'ordered' AND accepted > 0
UNION ALL SELECT code || ': funding row present = ' || has_funding || ' but funded_on = ' || coalesce(funded_on, 'NULL')
  FROM o WHERE has_funding <> (funded_on IS NOT NULL)
UNION ALL SELECT code || ': funding ' || funding_total || ' below outputs ' || outputs_value
  FROM o WHERE has_funding AND funding_total < outputs_value
UNION ALL SELECT code || ': ' || (results - retracted) || ' standing result(s) but state ' || state
  FROM o WHERE (results > retracted) <> (state = 'commercialized')
UNION ALL SELECT code || ': results while ' || state FROM o WHERE results > 0 AND state NOT IN ('delivered', 'commercialized')
UNION ALL SELECT code || ': numbering of outputs/payments/results has gaps'
  FROM o WHERE outputs_top <> outputs OR payments_top <> payments OR results_top <> results
UNION ALL SELECT code || ': events do not match the rows (registered ' || ev_registered || ', added ' || ev_added
       || '/' || outputs || ', funded ' || ev_funded || ', accepted ' || ev_accepted || '/' || accepted
       || ', delivered ' || ev_delivered || ', paid ' || ev_paid || '/' || (payments - reversals)
       || ', reversed ' || ev_reversed || '/' || reversals || ', results ' || ev_results || '/' || results
       || ', retracted ' || ev_retracted || '/' || retracted || ', cancelled ' || ev_cancelled || ')'
  FROM o WHERE ev_registered <> 1 OR ev_added <> outputs OR ev_funded <> has_funding OR ev_accepted <> accepted
     OR ev_delivered <> (delivered_on IS NOT NULL) OR ev_paid <> payments - reversals OR ev_reversed <> reversals
     OR ev_results <> results OR ev_retracted <> retracted OR ev_cancelled <> (state = 'cancelled')
UNION ALL SELECT 'payment ' || p.id || ': against output of another order or an unaccepted output'
  FROM payments p JOIN outputs x ON x.id = p.output_id WHERE x.order_id <> p.order_id OR x.accepted_on IS NULL
UNION ALL SELECT 'output ' || x.id || ': paid ' || sum(p.amount) || ' net, outside 0 to its value ' || x.value
  FROM outputs x JOIN payments p ON p.output_id = x.id GROUP BY x.id HAVING sum(p.amount) > x.value OR sum(p.amount) < 0
UNION ALL SELECT 'payment ' || r.id || ': reverses more than payment ' || p.id || ' paid, or another order''s'
  FROM payments r JOIN payments p ON p.id = r.reverses
  WHERE -r.amount > p.amount OR r.order_id <> p.order_id OR r.output_id <> p.output_id OR r.source <> p.source
UNION ALL SELECT 'order ' || p.order_id || ': source ' || p.source || ' paid ' || sum(p.amount) || ' above its funding'
  FROM payments p JOIN fundings f ON f.order_id = p.order_id GROUP BY p.order_id, p.source
  HAVING sum(p.amount) > max(CASE p.source WHEN 'state' THEN f.state_budget WHEN 'enterprise' THEN f.enterprise_funds
                                          ELSE f.other END)
UNION ALL SELECT 'order ' || p.order_id || ': payments without funding'
  FROM payments p WHERE NOT EXISTS (SELECT 1 FROM fundings f WHERE f.order_id = p.order_id)
UNION ALL SELECT 'events of unknown order ' || order_id FROM events WHERE order_id NOT IN (SELECT id FROM orders)
UNION ALL SELECT 'orders of unknown enterprise: ' || code FROM orders WHERE enterprise_id NOT IN (SELECT id FROM enterprises)
