-- Every function, operator, aggregate and cast of funnel, called by an
-- ordinary role (test/suites/security.sh).  The suite checks that every
-- function of the extension is named here, except the support functions that
-- types, operators, casts and aggregates call for us.
\set ON_ERROR_STOP 1

-- stage
CREATE TEMP TABLE sec_stage (s stage);
INSERT INTO sec_stage SELECT stage(1 + i % 7, 'n' || i % 3) FROM generate_series(1, 50) i;
CREATE INDEX ON sec_stage (s);
SELECT stage(3, 'x'), stage(3), stage_position('3:x'), stage_name('3:x'), 5::stage, '5:x'::stage::integer;
SELECT '2:a'::stage < '3', '2:a'::stage <= '3', '2:a'::stage = '3', '2:a'::stage <> '3',
       '2:a'::stage >= '3', '2:a'::stage > '3', stage_cmp('1', '2'),
       stage_hash('3:x'), stage_hash_extended('3:x', 1), stage_smaller('1', '2'), stage_larger('1', '2');
SELECT min(s), max(s), count(DISTINCT s) FROM sec_stage;
SELECT s, count(*) FROM sec_stage GROUP BY s ORDER BY s LIMIT 2;
SELECT stage_send('3:x'), stage_out('3:x'), stage_in('3:x');
