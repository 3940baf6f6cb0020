-- A hostile schema for the search_path test (test/suites/security.sh): for
-- every name and operator symbol that the bodies of funnel's SQL-language
-- functions use, of pg_catalog or of funnel itself, an object in schema
-- hostile with the same name and argument types that raises an error.  Types
-- get a domain of the same name that accepts nothing.  With search_path =
-- hostile, pg_catalog, <funnel's schema> these win unless a body qualifies
-- its names (or the function sets search_path).
CREATE SCHEMA hostile;
GRANT USAGE ON SCHEMA hostile TO PUBLIC;

CREATE FUNCTION hostile.trap() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'hostile object called' USING ERRCODE = 'HV000';
END $$;

CREATE TEMP VIEW target_ns AS
  SELECT 'pg_catalog'::regnamespace::oid AS oid
  UNION ALL SELECT extnamespace FROM pg_extension WHERE extname = 'funnel';

CREATE TEMP VIEW ext_bodies AS
  SELECT p.oid, p.prosrc FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'funnel'
  JOIN pg_language l ON l.oid = p.prolang
  WHERE l.lanname IN ('sql', 'plpgsql') AND p.proconfig IS NULL;

CREATE TEMP VIEW body_words AS
  SELECT DISTINCT lower(m[1]) AS word FROM ext_bodies, regexp_matches(prosrc, '([A-Za-z_][A-Za-z_0-9]*)', 'g') m;

CREATE TEMP VIEW body_symbols AS
  SELECT DISTINCT m[1] AS sym FROM ext_bodies, regexp_matches(prosrc, '([-+*/<>=~!@#%^&|`?]+)', 'g') m;

-- a pseudo-type a PL/pgSQL trap can take and return
CREATE TEMP VIEW usable_type AS
  SELECT oid FROM pg_type
  WHERE typtype <> 'p' OR typname IN ('anyelement', 'anyarray', 'anynonarray', 'anyenum', 'anyrange',
                                       'anymultirange', 'anycompatible', 'anycompatiblearray',
                                       'anycompatiblenonarray', 'anycompatiblerange');

DO $$
DECLARE
  f record;
  n int := 0;
  args text;
BEGIN
  -- functions and aggregates named in a body
  FOR f IN
    SELECT p.oid, p.proname, p.prokind, p.proretset, p.prorettype, p.provariadic, p.proargtypes::oid[] AS argtypes
    FROM pg_proc p JOIN body_words w ON w.word = p.proname
    WHERE p.pronamespace IN (SELECT oid FROM target_ns) AND p.prokind IN ('f', 'a')
      AND p.proallargtypes IS NULL
      AND (p.prorettype IN (SELECT oid FROM usable_type) OR p.prorettype = 'void'::regtype)
      AND NOT EXISTS (SELECT FROM unnest(p.proargtypes::oid[]) a WHERE a NOT IN (SELECT oid FROM usable_type))
      AND NOT (p.prorettype IN (SELECT oid FROM pg_type WHERE typtype = 'p' AND typname <> 'void')
               AND NOT EXISTS (SELECT FROM unnest(p.proargtypes::oid[]) a
                               WHERE a IN (SELECT oid FROM pg_type WHERE typtype = 'p')))
  LOOP
    n := n + 1;
    SELECT string_agg(CASE WHEN f.provariadic <> 0 AND i = cardinality(f.argtypes) THEN 'VARIADIC ' ELSE '' END
                      || format_type(a, NULL), ', ' ORDER BY i)
      INTO args FROM unnest(f.argtypes) WITH ORDINALITY u(a, i);
    args := coalesce(args, '');
    IF f.prokind = 'f' THEN
      EXECUTE format('CREATE FUNCTION hostile.%I(%s) RETURNS %s%s LANGUAGE plpgsql AS $b$ BEGIN PERFORM hostile.trap(); END $b$',
                     f.proname, args, CASE WHEN f.proretset THEN 'SETOF ' ELSE '' END, format_type(f.prorettype, NULL));
    ELSE
      EXECUTE format('CREATE FUNCTION hostile.%I(int%s) RETURNS int LANGUAGE plpgsql AS $b$ BEGIN PERFORM hostile.trap(); RETURN 0; END $b$',
                     'trap_sfunc_' || n, CASE WHEN args = '' THEN '' ELSE ', ' || replace(args, 'VARIADIC ', '') END);
      EXECUTE format('CREATE AGGREGATE hostile.%I(%s) (SFUNC = hostile.%I, STYPE = int, INITCOND = ''0'')',
                     f.proname, CASE WHEN args = '' THEN '*' ELSE replace(args, 'VARIADIC ', '') END, 'trap_sfunc_' || n);
    END IF;
  END LOOP;

  -- operators whose symbol appears in a body
  FOR f IN
    SELECT o.oprname, o.oprleft, o.oprright, o.oprresult
    FROM pg_operator o JOIN body_symbols s ON s.sym LIKE '%' || o.oprname || '%'
    WHERE o.oprnamespace IN (SELECT oid FROM target_ns)
      AND o.oprresult IN (SELECT oid FROM usable_type)
      AND (o.oprleft = 0 OR o.oprleft IN (SELECT oid FROM usable_type))
      AND o.oprright IN (SELECT oid FROM usable_type)
  LOOP
    n := n + 1;
    EXECUTE format('CREATE FUNCTION hostile.%I(%s) RETURNS %s LANGUAGE plpgsql AS $b$ BEGIN PERFORM hostile.trap(); END $b$',
                   'trap_op_' || n,
                   CASE WHEN f.oprleft = 0 THEN format_type(f.oprright, NULL)
                        ELSE format_type(f.oprleft, NULL) || ', ' || format_type(f.oprright, NULL) END,
                   format_type(f.oprresult, NULL));
    BEGIN
      EXECUTE format('CREATE OPERATOR hostile.%s (%s RIGHTARG = %s, FUNCTION = hostile.%I)',
                     f.oprname,
                     CASE WHEN f.oprleft = 0 THEN '' ELSE 'LEFTARG = ' || format_type(f.oprleft, NULL) || ',' END,
                     format_type(f.oprright, NULL), 'trap_op_' || n);
    EXCEPTION WHEN others THEN
      -- a few polymorphic signatures cannot be redeclared; they are rare in bodies
      RAISE NOTICE 'no trap for operator %', f.oprname;
    END;
  END LOOP;

  -- base types named in a body: a domain that accepts nothing
  FOR f IN
    SELECT t.oid, t.typname FROM pg_type t JOIN body_words w ON w.word = t.typname
    WHERE t.typnamespace IN (SELECT oid FROM target_ns) AND t.typtype = 'b' AND t.typelem = 0
  LOOP
    EXECUTE format('CREATE DOMAIN hostile.%I AS %s CHECK (VALUE IS NULL)', f.typname, f.oid::regtype);
  END LOOP;
END $$;

SELECT count(*) AS hostile_objects FROM pg_proc WHERE pronamespace = 'hostile'::regnamespace;
