-- Which aggregates and report functions of the extension the checks of the
-- Citus suite call: run after each check's query was made a temporary view
-- chk_<check name> (test/suites/citus.sh), whose dependencies (pg_depend of
-- its rewrite rule) name every function and operator it calls, overloads
-- resolved.  Prints one line per gap, nothing when every
--   - aggregate of the extension is called by some check;
--   - aggregate family (a signature with its run of step booleans, or the
--     steps array, read as one: window_funnel(interval, timestamptz, steps))
--     is called by checks of each of the five shapes (the check name's
--     suffix: _all, _dist, _other, _month, _two);
--   - report function is called by some check: every function of the
--     extension that is not a type's input/output, not an aggregate's
--     support function (transition, final, combine, serialize,
--     deserialize), not a planner support function (prosupport), not an
--     index support function, and not behind a
--     comparison operator; an operator (@>, <@, ||, +) counts as a call of
--     its function.
CREATE TEMP TABLE cov_ext AS
SELECT p.oid, p.oid::regprocedure::text AS sig, p.prokind
FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
WHERE d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'funnel');

CREATE TEMP TABLE cov_used AS
WITH views AS (
  SELECT c.oid, substr(c.relname, 5) AS check_name
  FROM pg_class c WHERE c.relnamespace = pg_my_temp_schema() AND c.relkind = 'v' AND c.relname LIKE 'chk\_%'
)
SELECT v.check_name, d.refobjid AS fn
FROM views v JOIN pg_rewrite r ON r.ev_class = v.oid
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_proc'::regclass
UNION
SELECT v.check_name, o.oprcode
FROM views v JOIN pg_rewrite r ON r.ev_class = v.oid
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_operator'::regclass
JOIN pg_operator o ON o.oid = d.refobjid;

CREATE TEMP TABLE cov_aggs AS
SELECT oid, sig, regexp_replace(sig, '(,boolean)+\)$|,boolean\[\]\)$', ',steps)') AS family
FROM cov_ext WHERE prokind = 'a';

CREATE TEMP TABLE cov_reports AS
WITH support AS (
  SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn, aggserialfn, aggdeserialfn,
                      aggmtransfn, aggminvtransfn, aggmfinalfn])::oid AS fn FROM pg_aggregate
  UNION SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend, typmodin, typmodout, typanalyze])::oid FROM pg_type
  UNION SELECT amproc FROM pg_amproc
  UNION SELECT prosupport FROM pg_proc
  UNION SELECT oprcode FROM pg_operator WHERE oprname IN ('=', '<>', '<', '<=', '>', '>=')
)
SELECT oid, sig FROM cov_ext WHERE prokind = 'f' AND oid NOT IN (SELECT fn FROM support);

-- the gaps
SELECT 'missing: no check calls the aggregate ' || sig
FROM cov_aggs WHERE oid NOT IN (SELECT fn FROM cov_used)
UNION ALL
SELECT 'missing: no _' || shape || ' check calls ' || family
FROM (SELECT DISTINCT family FROM cov_aggs) f
CROSS JOIN (VALUES ('all'), ('dist'), ('other'), ('month'), ('two')) s(shape)
WHERE NOT EXISTS (SELECT FROM cov_used u JOIN cov_aggs a ON a.oid = u.fn
                  WHERE a.family = f.family AND u.check_name LIKE '%\_' || shape)
UNION ALL
SELECT 'missing: no check calls the report function ' || sig
FROM cov_reports WHERE oid NOT IN (SELECT fn FROM cov_used)
ORDER BY 1;

-- for the log: the checks that call each aggregate family and report function
SELECT 'covered: ' || a.family || ' by ' || count(DISTINCT u.check_name) || ' checks ('
       || count(DISTINCT a.oid) || ' overloads), shapes '
       || string_agg(DISTINCT substring(u.check_name FROM '_(all|dist|other|month|two|over)$'), ' ')
FROM cov_aggs a JOIN cov_used u ON u.fn = a.oid GROUP BY a.family
UNION ALL
SELECT 'covered: ' || r.sig || ' by ' || string_agg(DISTINCT u.check_name, ' ')
FROM cov_reports r JOIN cov_used u ON u.fn = r.oid GROUP BY r.sig
ORDER BY 1;
