-- Valid values of every type, the starting points of the SQL-level fuzz
-- (test/suites/sql_fuzz.sh) and the stored values of the durability suites
-- (dump_restore, upgrade).  Each type's seeds are added only once the type
-- exists.  Deterministic: setseed before the random ones.
SELECT setseed(0.42);

SELECT fuzz.add_seeds('stage', $q$
  SELECT v FROM unnest(ARRAY['1', '3:proposal', '2:встреча', '255:won', '4:a:b c ', '5: x',
                             '6:"quoted"', '7:\', '8:' || repeat('x', 255), '9:' || repeat('ж', 127)]) v
  UNION ALL
  SELECT stage(1 + (random() * 254)::int,
               CASE WHEN random() < 0.2 THEN NULL ELSE substr(md5(random()::text), 1, (random() * 20)::int) END)::text
  FROM generate_series(1, 40)
$q$);

SELECT fuzz.add_seeds('contact_chain', $q$
  SELECT v FROM unnest(ARRAY['', 'call', 'call > email > meeting', '"a>b" > "x\"y" > "\\"',
                             '" lead " > x', 'звонок > "звонок > повтор" > КП',
                             repeat('x > ', 200) || 'x', 'k' || repeat('ж', 127)]) v
  UNION ALL
  SELECT contact_chain_agg(k, ts)::text
  FROM (SELECT g, (ARRAY['call', 'email', 'meeting', 'demo', 'a>b', ' edge ', 'q"uote', 'звонок'])[1 + (random() * 7)::int] k,
               timestamptz '2026-01-01' + (random() * 100)::int * interval '1 hour' AS ts
        FROM generate_series(1, 30) g, generate_series(1, (random() * 12)::int)) c
  GROUP BY g
$q$);

SELECT fuzz.add_seeds('funnel', $q$
  SELECT v FROM unnest(ARRAY['v1 {}', 'v1 {1:lead=120, 2:qualified=64, 4=3, 6:won=10}', 'v1 {255:won=1}',
                             'v1 {3:"a,b\"c"=9223372036854775807}', 'v1 {1:" edge "=2, 2:встреча=5}',
                             'v1 {1=9223372036854775806, 200:' || repeat('ж', 127) || '=1}']) v
  UNION ALL
  SELECT funnel_conversion(stage(p, CASE WHEN random() < 0.8 THEN (ARRAY['lead', 'qualified', 'a=b', 'x,y', 'встреча', '}'])[1 + (random() * 5)::int] END))::text
  FROM (SELECT g, 1 + (random() * random() * 12)::int p FROM generate_series(1, 30) g, generate_series(1, (random() * 40)::int)) r
  GROUP BY g
$q$);

SELECT fuzz.add_seeds('velocity', $q$
  SELECT v FROM unnest(ARRAY['v1', 'v1 3(1,0,5,5,5;5)', 'v1 1:лид(2,0,300,100,200;100,200)', 'v1 2(0,7)',
                             'v1 "2: x(y)"(0,1)']) v
  UNION ALL
  SELECT stage_velocity(stage(p, (ARRAY['lead', 'x(y)', ' edge ', 'встреча', NULL])[1 + p % 5]),
                        t, CASE WHEN random() < 0.15 THEN NULL
                                ELSE t + (random() * random() * 1e7)::bigint * interval '1 second' END)::text
  FROM (SELECT g, 1 + (random() * random() * 8)::int p,
               timestamptz '2026-01-01' + (random() * 1e6)::int * interval '1 second' t
        FROM generate_series(1, 30) g, generate_series(1, (random() * 30)::int)) r
  GROUP BY g
$q$);

SELECT fuzz.add_seeds('attainment', $q$
  SELECT v FROM unnest(ARRAY['v1 2026-01-05:12/10,9.5/10 2026-01-12:8/10', 'v1 2026-06-30:0/0',
                             'v1 2026-01-05:1.000000000000000001/2', 'v1 0001-01-01:1/1',
                             'v1 9999-12-31:99999999999999999999999999999999999999/1']) v
  UNION ALL
  SELECT plan_attainment(CASE WHEN random() < 0.1 THEN NULL ELSE round((random() * 1000)::numeric, (random() * 3)::int) END,
                         round((random() * 1000)::numeric, (random() * 2)::int),
                         date '2026-01-01' + (random() * 200)::int)::text
  FROM generate_series(1, 30) g, generate_series(1, (random() * 30)::int)
  GROUP BY g
$q$);

SELECT fuzz.add_seeds('flow', $q$
  SELECT v FROM unnest(ARRAY['v1 [2026-01-01,2026-02-01)', 'v1 [2026-01-01,2026-02-01) 1:lead(4,7,6,5) 2:встреча(0,3,1,2)',
                             'v1 (,2026-03-01 12:00:00.123456+05] 255(0,1,0,1)', 'v1 [2026-01-01,) "7:a (b)"(0,1,0,1)',
                             'v1 (,) 1(9223372036854775807,0,0,9223372036854775807)', 'v1 [2026-02-10,2026-02-10]',
                             'v1 [-infinity,infinity] "9:\"x\\"(2,0,2,0)', 'v1 (2026-01-01,2026-01-02) 3:' || repeat('ж', 127) || '(1,1,1,1)']) v
  UNION ALL
  SELECT pipeline_flow(stage(p, (ARRAY['lead', 'x(y)', ' edge ', 'встреча', NULL])[1 + p % 5]), t,
                       CASE WHEN random() < 0.3 THEN NULL
                            ELSE t + (random() * random() * 1e7)::bigint * interval '1 second' END,
                       (ARRAY[tstzrange('2026-01-03', '2026-01-10'), tstzrange('2026-01-05', NULL, '(]'),
                              tstzrange(NULL, '2026-01-08', '[]')])[1 + g % 3])::text
  FROM (SELECT g, 1 + (random() * random() * 8)::int p,
               timestamptz '2026-01-01' + (random() * 1e6)::int * interval '1 second' t
        FROM generate_series(1, 30) g, generate_series(1, (random() * 30)::int)) r
  GROUP BY g
$q$);
