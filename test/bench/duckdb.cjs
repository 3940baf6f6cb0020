// DuckDB's side of the benchmark's optional DuckDB section (duckdb.sh): loads
// the events of a CSV file (deal_id, ts, event) into an in-memory table
// bench_events in the file's order, then, for each number of threads, runs
// the query once to warm up and REPS times, timing each run here in node
// (from the call to its last row read).  Writes OUT/version, OUT/levels.N
// (the rows of the last run, |-separated) and, on standard output, one line
// per number of threads: threads|median ms.
//
//   node duckdb.cjs MODULES CSV QUERY REPS OUT THREADS...
// MODULES: the folder whose node_modules holds @duckdb/node-api
'use strict';
const fs = require('fs');
const path = require('path');

const [modules, csv, queryFile, reps, out, ...threads] = process.argv.slice(2);
const { DuckDBInstance } = require(path.join(modules, 'node_modules', '@duckdb', 'node-api'));

function median(v) {
	const s = [...v].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main() {
	const instance = await DuckDBInstance.create(':memory:');
	const con = await instance.connect();
	const version = await con.runAndReadAll('SELECT version()');
	fs.writeFileSync(path.join(out, 'version'), `${version.getRowsJS()[0][0]}\n`);
	await con.run(`CREATE TABLE bench_events AS SELECT * FROM read_csv('${csv.replace(/'/g, "''")}', header = false,
		columns = {'deal_id': 'BIGINT', 'ts': 'TIMESTAMP', 'event': 'VARCHAR'})`);
	const query = fs.readFileSync(queryFile, 'utf8');
	for (const n of threads) {
		await con.run(`SET threads = ${Number(n)}`);
		const times = [];
		let rows = [];
		for (let r = 0; r <= Number(reps); r++) {
			const start = process.hrtime.bigint();
			const reader = await con.runAndReadAll(query);
			rows = reader.getRowsJS();
			if (r > 0)
				times.push(Number(process.hrtime.bigint() - start) / 1e6);
		}
		fs.writeFileSync(path.join(out, `levels.${n}`), rows.map((row) => row.join('|') + '\n').join(''));
		console.log(`${n}|${times.length ? median(times).toFixed(3) : ''}`);
	}
	con.closeSync();
	instance.closeSync();
}

main().catch((e) => {
	console.error(`duckdb.cjs: ${e.message}`);
	process.exit(1);
});
