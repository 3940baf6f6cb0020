-- Tables of stored values of every funnel type, for the durability suites
-- (dump_restore, upgrade): rollup_<type> (id, v, arr) from the fuzz seeds
-- (test/sql/fuzz_seeds.sql, loaded first) and an index; compared with
-- test/sql/fingerprint.sql.
DO $$
DECLARE
  t regtype;
BEGIN
  FOR t IN SELECT DISTINCT type FROM fuzz.seeds LOOP
    EXECUTE format('CREATE TABLE public.%I (id int PRIMARY KEY, v %s, arr %s[])', 'rollup_' || t, t, t);
    EXECUTE format('INSERT INTO public.%I SELECT row_number() OVER (ORDER BY value), value::%s, ARRAY[value::%s, NULL]
                    FROM fuzz.seeds WHERE type = %L::regtype', 'rollup_' || t, t, t, t::text);
    EXECUTE format('INSERT INTO public.%I VALUES (0, NULL, NULL)', 'rollup_' || t);
  END LOOP;
END $$;
CREATE INDEX ON public.rollup_stage (v);
DROP SCHEMA fuzz CASCADE;
