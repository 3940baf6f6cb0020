#!/usr/bin/env bash
# Durability of stored values.
# 1. A database with a table of every funnel type (the SQL-fuzz seeds: edge
#    cases and aggregate results), an index and an array column survives
#    pg_dump/pg_restore in plain and custom formats with identical values
#    (text form and send bytes, row by row).
# 2. Every stored and binary format is versioned: a value whose version byte
#    is unknown is a clean error when stored (the stored bytes are read and
#    written as bytea with the identity function byteasend) and when received
#    (binary COPY).
# Uses the cluster in PG* (as test/run-tests sets it) or starts its own.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$FUNNEL_ROOT"

use_or_start_cluster dump
export PGOPTIONS="-c client_min_messages=warning"
work=$(mktemp -d "${TMPDIR:-/tmp}/funnel-dumpfiles.XXXXXX")
chmod 755 "$work"

for db in funnel_dump_src funnel_dump_plain funnel_dump_custom; do
	fresh_db "$db" || exit 1
done

# the source database: one table per type, id + value, plus an index and arrays
q -At -d funnel_dump_src -c 'CREATE EXTENSION funnel' -f test/sql/fuzz_lib.sql -f test/sql/fuzz_seeds.sql \
	-f test/sql/rollup_tables.sql -f test/sql/fingerprint.sql >/dev/null || exit 1

pg_dump -d funnel_dump_src -Fp -f "$work/dump.sql" || exit 1
pg_dump -d funnel_dump_src -Fc -f "$work/dump.custom" || exit 1
q -At -d funnel_dump_plain -f "$work/dump.sql" >/dev/null || exit 1
pg_restore --exit-on-error -d funnel_dump_custom "$work/dump.custom" || exit 1

src=$(q -At -d funnel_dump_src -c 'SELECT * FROM public.fingerprint()')
echo "$src" | sed 's/^/source: /'
[ -n "$src" ] || { echo "no rollup tables"; failed=1; }
for db in funnel_dump_plain funnel_dump_custom; do
	got=$(q -At -d $db -c 'SELECT * FROM public.fingerprint()')
	if [ "$got" = "$src" ]; then
		echo "$db: identical"
	else
		echo "$db: DIFFERENT"
		diff <(echo "$src") <(echo "$got")
		failed=1
	fi
	# the restored index still answers like a scan
	n=$(q -At -d $db -c "SET enable_seqscan = off; SELECT count(*) FROM public.rollup_stage WHERE v >= '3' AND v < '200'")
	m=$(q -At -d $db -c "SET enable_indexscan = off; SET enable_bitmapscan = off; SELECT count(*) FROM public.rollup_stage WHERE v >= '3' AND v < '200'")
	[ "$n" = "$m" ] || { echo "$db: index scan $n rows, seq scan $m rows"; failed=1; }
done

# unknown versions: every byte value other than the current version, in the
# stored form and in the binary form, for one value of each type
versions=$(q -At -d funnel_dump_src <<'SQL'
-- binary input through a one-row binary COPY file (pg_temp.recv_as)
\i test/include/helper_binary_recv.sql
CREATE FUNCTION pg_temp.try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  st text;
  msg text;
BEGIN
  EXECUTE sql;
  RETURN 'accepted';
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN st || ' ' || msg;
END $$;
CREATE TEMP TABLE outcome (type regtype, form text, version int, result text);
DO $$
DECLARE
  t record;
  stored bytea;
  sent bytea;
BEGIN
  FOR t IN SELECT c.relname, a.atttypid::regtype AS type, ty.typsend
           FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'v'
           JOIN pg_type ty ON ty.oid = a.atttypid
           WHERE c.relname LIKE 'rollup\_%' AND c.relkind = 'r' ORDER BY 1 LOOP
    -- the stored bytes as bytea and back, with the identity byteasend
    EXECUTE format('CREATE FUNCTION pg_temp.to_raw(%s) RETURNS bytea LANGUAGE internal STRICT AS ''byteasend''', t.type);
    EXECUTE format('CREATE FUNCTION pg_temp.from_raw(bytea) RETURNS %s LANGUAGE internal STRICT AS ''byteasend''', t.type);
    EXECUTE format('SELECT pg_temp.to_raw(v), %s(v) FROM public.%I WHERE v IS NOT NULL ORDER BY id DESC LIMIT 1',
                   t.typsend, t.relname) INTO stored, sent;
    FOR version IN 0..255 LOOP
      IF version <> get_byte(stored, 0) THEN
        INSERT INTO outcome VALUES (t.type, 'stored', version, pg_temp.try(format(
          'SELECT pg_temp.from_raw(%L)::text', set_byte(stored, 0, version))));
      END IF;
      IF version <> get_byte(sent, 0) THEN
        INSERT INTO outcome VALUES (t.type, 'binary', version, pg_temp.try(format(
          'SELECT pg_temp.recv_as(%L, %L)', t.type, set_byte(sent, 0, version))));
      END IF;
    END LOOP;
    DROP FUNCTION pg_temp.to_raw;
    DROP FUNCTION pg_temp.from_raw;
  END LOOP;
END $$;
-- a clean error is XX001 (data corrupted) for stored values, 22P03 (invalid
-- binary representation) for received ones; anything else is reported
SELECT format('%s %s: %s unknown versions, %s clean errors%s', type, form, count(*),
              count(*) FILTER (WHERE left(result, 5) = CASE form WHEN 'stored' THEN 'XX001' ELSE '22P03' END),
              coalesce(' -- e.g. version ' || min(version) FILTER (WHERE left(result, 5) <> CASE form WHEN 'stored' THEN 'XX001' ELSE '22P03' END)
                       || ': ' || min(result) FILTER (WHERE left(result, 5) <> CASE form WHEN 'stored' THEN 'XX001' ELSE '22P03' END), ''))
FROM outcome GROUP BY type, form ORDER BY type::text, form;
SQL
) || { echo "version checks failed to run"; failed=1; }
echo "$versions"
grep -q -- ' -- e.g. version' <<<"$versions" && failed=1
[ -n "$versions" ] || failed=1

if [ $failed -eq 0 ]; then
	for db in funnel_dump_src funnel_dump_plain funnel_dump_custom; do
		q -At -d postgres -c "DROP DATABASE $db"
	done
	rm -rf "$work"
fi
exit $failed
