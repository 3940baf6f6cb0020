-- fingerprint(prefix): per table whose name starts with prefix, its row count
-- and one digest of the text forms and send bytes of its column v and the
-- text of its array column arr, row by row: equal fingerprints, equal values.
CREATE FUNCTION public.fingerprint(prefix text DEFAULT 'rollup\_') RETURNS TABLE (tab text, rows bigint, digest text)
LANGUAGE plpgsql AS $f$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT c.relname, a.atttypid::regtype AS type, ty.typsend
           FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'v'
           JOIN pg_type ty ON ty.oid = a.atttypid
           WHERE c.relname LIKE prefix || '%' AND c.relkind = 'r' ORDER BY 1 LOOP
    tab := t.relname;
    EXECUTE format('SELECT count(*), md5(string_agg(concat_ws(''|'', id, v::text, encode(%s(v), ''hex''), arr::text),
                                             E''\n'' ORDER BY id)) FROM public.%I', t.typsend, t.relname)
      INTO rows, digest;
    RETURN NEXT;
  END LOOP;
END $f$;
