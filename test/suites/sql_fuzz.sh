#!/usr/bin/env bash
# SQL-level fuzz of every type's text and binary input and of corrupted
# stored values (test/sql/fuzz_lib.sql).
# Uses the cluster in PG* (as test/run-tests sets it) or starts its own.
#   SQL_FUZZ_BATCHES  batches per type (default 3)
#   SQL_FUZZ_TEXT     text values per batch (default 700)
#   SQL_FUZZ_BINARY   binary values per batch (default 300)
#   SQL_FUZZ_STORED   corrupted stored values per batch (default 300)
#   SQL_FUZZ_SEED     seed of the pseudo-random mutations (default 1; "random"
#                     picks one and prints it)
# The server must stay up: it is checked after every batch.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
cd "$FUNNEL_ROOT"

batches=${SQL_FUZZ_BATCHES:-3}
n_text=${SQL_FUZZ_TEXT:-700}
n_binary=${SQL_FUZZ_BINARY:-300}
n_stored=${SQL_FUZZ_STORED:-300}
seed=${SQL_FUZZ_SEED:-1}
[ "$seed" = random ] && seed=$((RANDOM % 1000 + 1))
echo "sql_fuzz: seed $seed, $batches batches of $n_text text, $n_binary binary and $n_stored stored values per type"

use_or_start_cluster sqlfuzz
export PGDATABASE=funnel_sqlfuzz PGOPTIONS="-c client_min_messages=warning"
fresh_db funnel_sqlfuzz || exit 1
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION funnel' -f test/sql/fuzz_lib.sql -f test/sql/fuzz_seeds.sql >/dev/null || exit 1

server_up() {
	psql -X -q -At -c 'SELECT 1' >/dev/null 2>&1
}

status=0
types=$(psql -X -At -c 'SELECT DISTINCT type FROM fuzz.seeds ORDER BY 1')
for type in $types; do
	for ((i = 1; i <= batches; i++)); do
		if ! psql -X -q -At -v ON_ERROR_STOP=1 \
			-c "SELECT fuzz.run_batch('$type', $seed / 1000.0 + $i / 100000.0, $n_text, $n_binary, $n_stored)" >/dev/null; then
			echo "sql_fuzz: batch $i of $type failed"
			status=1
		fi
		if ! server_up; then
			echo "sql_fuzz: the server is down after batch $i of $type"
			exit 1
		fi
	done
done

psql -X -At -c "SELECT format('%s %s: %s accepted, %s rejected', type, path, sum(accepted), sum(rejected))
                FROM fuzz.counts GROUP BY type, path ORDER BY type::text, path"
findings=$(psql -X -At -c 'SELECT count(*) FROM fuzz.findings')
if [ "$findings" != 0 ]; then
	echo "sql_fuzz: $findings findings (first 20):"
	psql -X -c 'SELECT type, path, problem, input, input_bytes, sqlstate, message FROM fuzz.findings LIMIT 20'
	status=1
fi
[ $status -eq 0 ] && psql -X -q -d postgres -c 'DROP DATABASE funnel_sqlfuzz'
echo "sql_fuzz: $findings findings"
exit $status
