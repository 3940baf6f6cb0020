-- sequence_state and retention's int[] state as user input: real states round trip, crafted ones are refused.
--
-- The states of sequence_match, sequence_count, sequence_match_times
-- (sequence_state) and retention (int[]) are value types: Citus ships them
-- as text, and any role can pass bytes of its own making to the transition,
-- combine and final functions (CREATE AGGREGATE pg_temp.x with an initcond,
-- or a SQL transition returning a crafted state).  Real states survive their
-- text and binary forms and combine to the aggregates' own results; every
-- state no transition makes is refused with a specific SQLSTATE (never
-- XX000, never a crash); crafted states that a transition could have made
-- give the right answers (issue 30, the rule of issue 27).
CREATE ROLE funnel_seq_crafter;
SET ROLE funnel_seq_crafter;
SET timezone = 'UTC';
SELECT setseed(0.3);

-- A sequence_state's byte form (src/sequence_state.c): version 1, axis (1
-- timestamptz, 2 bigint), named, nconds int32, steps_key int64, nrows
-- uint32, nevents int64, pattern_len int32, the pattern's bytes, then per
-- event ts int64, row uint32, cond uint16; network byte order; its text is
-- \x and the bytes in hex.  events: (ts, row, cond) triples; nrows, nevents
-- and pattern_len are computed unless given.
CREATE FUNCTION pg_temp.seq(pattern text, events bigint[] DEFAULT '{}', nconds int DEFAULT 2,
                            axis int DEFAULT 1, named int DEFAULT 0, key bigint DEFAULT 0,
                            nrows bigint DEFAULT NULL, nevents bigint DEFAULT NULL,
                            plen int DEFAULT NULL, version int DEFAULT 1)
RETURNS text LANGUAGE sql AS $$
SELECT '\x' || encode(
    substr(int4send(version), 4) || substr(int4send(axis), 4) || substr(int4send(named), 4)
    || int4send(nconds) || int8send(key)
    || substr(int8send(coalesce(nrows, (SELECT count(DISTINCT events[3 * i + 2])
                                        FROM generate_series(0, cardinality(events) / 3 - 1) i))), 5)
    || int8send(coalesce(nevents, cardinality(events) / 3))
    || int4send(coalesce(plen, octet_length(pattern))) || convert_to(pattern, 'UTF8')
    || coalesce((SELECT string_agg(int8send(events[3 * i + 1]) || substr(int8send(events[3 * i + 2]), 5)
                                   || substr(int8send(events[3 * i + 3]), 7), ''::bytea ORDER BY i)
                 FROM generate_series(0, cardinality(events) / 3 - 1) i), ''::bytea), 'hex')
$$;
-- a timestamptz in microseconds from 2000-01-01 (its int64)
CREATE FUNCTION pg_temp.us(t timestamptz) RETURNS bigint LANGUAGE sql
  AS $$ SELECT ((extract(epoch FROM t) - 946684800) * 1000000)::bigint $$;
-- the result of a query as text (of a command: done), or its error:
-- SQLSTATE, message, detail
CREATE FUNCTION pg_temp.outcome(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r text;
  st text;
  msg text;
  det text;
BEGIN
  IF q !~* '^\s*SELECT' THEN
    EXECUTE q;
    RETURN 'done';
  END IF;
  EXECUTE q INTO r;
  RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
  RETURN 'ERROR ' || st || ': ' || msg || coalesce(' (' || nullif(det, '') || ')', '');
END $$;
-- only the SQLSTATE of an error
CREATE FUNCTION pg_temp.code(q text) RETURNS text LANGUAGE sql
  AS $$ SELECT regexp_replace(pg_temp.outcome(q), '^(ERROR \w+): .*$', '\1') $$;

-- Aggregates that stop at the state (as Citus's worker_partial_agg does)
-- and others that combine states and finish (its coord_combine_agg).
CREATE AGGREGATE pg_temp.part_tz(text, timestamptz, VARIADIC boolean[])
  (sfunc = sequence_trans, stype = sequence_state);
CREATE AGGREGATE pg_temp.part_big(text, bigint, VARIADIC boolean[])
  (sfunc = sequence_trans, stype = sequence_state);
CREATE AGGREGATE pg_temp.part_ev(text, timestamptz, text, text[])
  (sfunc = sequence_trans, stype = sequence_state);
CREATE AGGREGATE pg_temp.part_big_ev(text, bigint, text, text[])
  (sfunc = sequence_trans, stype = sequence_state);
CREATE AGGREGATE pg_temp.s_match(sequence_state)
  (sfunc = sequence_combine, stype = sequence_state, finalfunc = sequence_match_final);
CREATE AGGREGATE pg_temp.s_count(sequence_state)
  (sfunc = sequence_combine, stype = sequence_state, finalfunc = sequence_count_final);
CREATE AGGREGATE pg_temp.s_times(sequence_state)
  (sfunc = sequence_combine, stype = sequence_state, finalfunc = sequence_match_times_final);
CREATE AGGREGATE pg_temp.s_times_big(sequence_state)
  (sfunc = sequence_combine, stype = sequence_state, finalfunc = sequence_match_times_bigint_final);
CREATE AGGREGATE pg_temp.s_state(sequence_state)
  (sfunc = sequence_combine, stype = sequence_state);
CREATE AGGREGATE pg_temp.r_part(VARIADIC boolean[])
  (sfunc = retention_trans, stype = int[]);
CREATE AGGREGATE pg_temp.r_final(int[])
  (sfunc = retention_combine, stype = int[], finalfunc = retention_final);

-- 1. Real states.  6000 events of 300 deals, each at a distinct second, in
-- 3 random parts; a deal's states of its parts go through text and combine
-- in another order.
CREATE TEMP TABLE ev AS
SELECT g AS id, 1 + (g * 7919) % 300 AS deal, floor(random() * 3)::int AS part,
       timestamptz '2026-01-01 00:00+00' + ((g::bigint * 1000003) % 2592000) * interval '1 second' AS ts,
       (g::bigint * 1000003) % 2592000 AS n,
       (ARRAY['visit', 'call', 'demo', 'offer', 'email'])[1 + floor(random() * 5)::int] AS kind
FROM generate_series(1, 6000) g;
CREATE TEMP TABLE patterns (pattern text);
INSERT INTO patterns VALUES ('(?1)(?2)'), ('(?1).*(?2)(?t<=86400)(?3)'), ('(?3)(?t>172800)(?1)'),
  ('(?2)(?t==0)'), ('.(?1)..*(?3)'), (''), ('(?t<0)');

WITH direct AS (
    SELECT pattern, deal,
           sequence_match(pattern, ts, kind = 'visit', kind = 'call', kind = 'demo', kind = 'email') AS m,
           sequence_count(pattern, ts, kind = 'visit', kind = 'call', kind = 'demo', kind = 'email') AS c,
           sequence_match_times(pattern, ts, kind = 'visit', kind = 'call', kind = 'demo', kind = 'email') AS t,
           sequence_match_times(pattern, n, kind = 'visit', kind = 'call', kind = 'demo', kind = 'email') AS tb,
           sequence_count(pattern, ts, kind, '{visit,call,demo,email}') AS ce,
           sequence_match_times(pattern, n, kind, '{visit,call,demo,email}') AS tbe
    FROM ev, patterns GROUP BY pattern, deal),
parts AS (
    SELECT pattern, deal, part,
           pg_temp.part_tz(pattern, ts, kind = 'visit', kind = 'call', kind = 'demo', kind = 'email')::text AS tz,
           pg_temp.part_big(pattern, n, kind = 'visit', kind = 'call', kind = 'demo', kind = 'email')::text AS big,
           pg_temp.part_ev(pattern, ts, kind, '{visit,call,demo,email}')::text AS tz_ev,
           pg_temp.part_big_ev(pattern, n, kind, '{visit,call,demo,email}')::text AS big_ev
    FROM ev, patterns GROUP BY pattern, deal, part),
combined AS (
    SELECT pattern, deal,
           pg_temp.s_match(tz::sequence_state ORDER BY part DESC) AS m,
           pg_temp.s_count(big::sequence_state ORDER BY part) AS c,
           pg_temp.s_times(tz::sequence_state ORDER BY part) AS t,
           pg_temp.s_times_big(big::sequence_state ORDER BY part DESC) AS tb,
           pg_temp.s_count(tz_ev::sequence_state ORDER BY part DESC) AS ce,
           pg_temp.s_times_big(big_ev::sequence_state ORDER BY part) AS tbe
    FROM parts GROUP BY pattern, deal)
SELECT pattern, count(*) AS deals, count(*) FILTER (WHERE d.m) AS matched, sum(d.c) AS matches,
       count(*) FILTER (WHERE (d.m, d.c, d.t, d.ce) IS DISTINCT FROM (c.m, c.c, c.t, c.ce)
                        OR d.tb IS DISTINCT FROM c.tb OR d.tbe IS DISTINCT FROM c.tbe
                        OR d.tb IS DISTINCT FROM d.tbe) AS differ,
       count(*) FILTER (WHERE d.t IS DISTINCT FROM
                        CASE WHEN d.tb IS NOT NULL
                             THEN ARRAY(SELECT timestamptz '2026-01-01 00:00+00' + x * interval '1 second'
                                        FROM unnest(d.tb) WITH ORDINALITY u(x, o) ORDER BY o) END) AS axes_differ
FROM direct d FULL JOIN combined c USING (pattern, deal)
GROUP BY pattern ORDER BY pattern;

-- retention the same way
WITH direct AS (
    SELECT deal, retention(kind = 'visit', kind = 'call', kind = 'offer') AS r FROM ev GROUP BY deal),
parts AS (
    SELECT deal, part, pg_temp.r_part(kind = 'visit', kind = 'call', kind = 'offer')::text AS s
    FROM ev GROUP BY deal, part)
SELECT count(*) AS deals, count(*) FILTER (WHERE d.r = '{1,1,1}') AS all_three,
       count(*) FILTER (WHERE d.r IS DISTINCT FROM c.r) AS differ
FROM direct d FULL JOIN (SELECT deal, pg_temp.r_final(s::int[] ORDER BY part DESC) AS r
                         FROM parts GROUP BY deal) c USING (deal);

-- states read back from their text form and from binary COPY unchanged;
-- send gives the bytes of the text form; one state of 20000 events (over
-- 64 kB: an expanded object while it grows)
CREATE TEMP TABLE seq_states AS
SELECT deal,
       pg_temp.part_tz('(?1)(?2)', ts, kind = 'visit', kind = 'call', kind = 'demo') AS tz,
       pg_temp.part_big_ev('(?1)(?t<=3600)(?2)', n, kind, '{visit,call}') AS big_ev
FROM ev GROUP BY deal
UNION ALL
SELECT 0, pg_temp.part_tz('(?1)(?2)', timestamptz '2026-01-01' + g * interval '1 minute', g % 3 = 0, g % 5 = 0, g % 7 = 0),
       pg_temp.part_big_ev('(?1)(?t<=3600)(?2)', -g, CASE WHEN g % 4 = 0 THEN 'call' ELSE 'visit' END, '{visit,call}')
FROM generate_series(1, 20000) g;
SELECT count(*) AS states, max(pg_column_size(tz)) > 65536 AS one_large,
       count(*) FILTER (WHERE tz::text::sequence_state::text <> tz::text
                        OR big_ev::text::sequence_state::text <> big_ev::text) AS text_differ,
       count(*) FILTER (WHERE sequence_state_send(tz) <> decode(substr(tz::text, 3), 'hex')
                        OR sequence_state_send(big_ev) <> decode(substr(big_ev::text, 3), 'hex')) AS send_differ
FROM seq_states;
CREATE TEMP TABLE seq_states_read (LIKE seq_states);
RESET ROLE;
SELECT current_setting('data_directory') || '/funnel_seq_states.copy' AS seq_file \gset
COPY seq_states TO :'seq_file' WITH (FORMAT binary);
COPY seq_states_read FROM :'seq_file' WITH (FORMAT binary);
SET ROLE funnel_seq_crafter;
SELECT count(*) AS states,
       count(*) FILTER (WHERE r.tz::text <> s.tz::text OR r.big_ev::text <> s.big_ev::text) AS binary_differ
FROM seq_states s JOIN seq_states_read r USING (deal);
-- the large ones' answers from the states read back
SELECT sequence_count('(?1)(?2)', timestamptz '2026-01-01' + g * interval '1 minute', g % 3 = 0, g % 5 = 0, g % 7 = 0) AS c,
       (SELECT pg_temp.s_count(tz) FROM seq_states_read WHERE deal = 0) AS c_read,
       sequence_match_times('(?1)(?t<=3600)(?2)', -g, CASE WHEN g % 4 = 0 THEN 'call' ELSE 'visit' END, '{visit,call}') AS t,
       (SELECT pg_temp.s_times_big(big_ev) FROM seq_states_read WHERE deal = 0) AS t_read
FROM generate_series(1, 20000) g;
-- a state's text form holds its events, not its room: 31 bytes of header,
-- the pattern, 14 bytes per event
SELECT length(pg_temp.part_tz('(?1)(?2)', ts, true, false)::text) AS text_length,
       2 + 2 * (31 + 8 + 14 * 5) AS for_5_events
FROM generate_series(timestamptz '2026-01-01', '2026-01-05', interval '1 day') ts;

-- 2. Crafted bytes through text input and binary receive.  Base: pattern
-- (?1)(?2), 2 conditions, row 0 with condition 1 on 2026-01-01, row 1 with
-- condition 2 on 2026-01-02.
SELECT pg_temp.us('2026-01-01') AS t1, pg_temp.us('2026-01-02') AS t2, pg_temp.us('2026-01-03') AS t3 \gset
CREATE TEMP TABLE crafted (id serial, what text, b text);
INSERT INTO crafted (what, b) VALUES
  ('valid: the base', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t2, 1, 2])),
  ('valid: no events', pg_temp.seq('(?1)(?2)')),
  ('valid: events out of time order', pg_temp.seq('(?1)(?2)', ARRAY[:t2, 0, 2, :t1, 1, 1])),
  ('valid: a row of two conditions', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t1, 0, 2])),
  ('valid: a row of only an unnamed condition (0)', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 0, :t2, 1, 2], nconds => 3)),
  ('valid: 1024 conditions', pg_temp.seq('(?1024)', ARRAY[:t1, 0, 1024], nconds => 1024)),
  ('valid: a quoted interval on timestamptz', pg_temp.seq('(?1)(?t<=''1 day'')(?2)', ARRAY[:t1, 0, 1, :t2, 1, 2])),
  ('valid: event-name form with a steps key', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1], named => 1, key => 12345)),
  ('valid: infinity and -infinity', pg_temp.seq('(?1)(?2)', ARRAY[9223372036854775807, 0, 1, -9223372036854775808, 1, 2])),
  ('valid: bigint axis, any int64', pg_temp.seq('(?1)(?2)', ARRAY[9223372036854775806, 0, 1, -9223372036854775807, 1, 2], axis => 2)),
  ('empty', '\x'),
  ('version 0', pg_temp.seq('(?1)(?2)', version => 0)),
  ('version 2', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1], version => 2)),
  ('truncated in the header', left(pg_temp.seq('(?1)(?2)'), 2 + 2 * 20)),
  ('truncated in the pattern', left(pg_temp.seq('(?1)(?2)'), 2 + 2 * 35)),
  ('truncated in the last event', left(pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t2, 1, 2]), -2)),
  ('a byte after the last event', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t2, 1, 2]) || '00'),
  ('axis 0', pg_temp.seq('(?1)(?2)', axis => 0)),
  ('axis 3', pg_temp.seq('(?1)(?2)', axis => 3)),
  ('named without a steps key', pg_temp.seq('(?1)(?2)', named => 1)),
  ('a steps key without named', pg_temp.seq('(?1)(?2)', key => 12345)),
  ('0 conditions', pg_temp.seq('', nconds => 0)),
  ('1025 conditions', pg_temp.seq('(?1)', nconds => 1025)),
  ('-1 conditions', pg_temp.seq('(?1)', nconds => -1)),
  ('pattern (?1 (unclosed)', pg_temp.seq('(?1')),
  ('pattern (?0)', pg_temp.seq('(?0)')),
  ('pattern with != ', pg_temp.seq('(?1)(?t!=5)(?2)')),
  ('pattern with two time conditions in a row', pg_temp.seq('(?1)(?t<1)(?t<2)(?2)')),
  ('pattern with a space', pg_temp.seq('(?1) (?2)')),
  ('pattern naming condition 3 of 2', pg_temp.seq('(?1)(?3)')),
  ('pattern length -1', pg_temp.seq('(?1)(?2)', plen => -1)),
  ('pattern length past the end', pg_temp.seq('(?1)(?2)', plen => 9)),
  ('pattern length short of the events', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1], plen => 7)),
  ('pattern of 32769 bytes', pg_temp.seq(repeat('.', 32769))),
  ('quoted interval on bigint times', pg_temp.seq('(?1)(?t<=''1 day'')(?2)', ARRAY[1, 0, 1, 2, 1, 2], axis => 2)),
  ('quoted text that is no interval', pg_temp.seq('(?1)(?t<=''soon'')(?2)')),
  ('quoted negative interval', pg_temp.seq('(?1)(?t<=''-1 day'')(?2)')),
  ('event of a condition the pattern does not name', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 3], nconds => 3)),
  ('event of condition 3 of 2', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 3])),
  ('row number = nrows', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t2, 2, 2], nrows => 2)),
  ('row number 4294967295', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 4294967295, 1], nrows => 1)),
  ('a row in two places', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t2, 1, 2, :t1, 0, 2])),
  ('a row at two times', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t2, 0, 2])),
  ('a row''s conditions out of order', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 2, :t1, 0, 1])),
  ('a row''s condition twice', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t1, 0, 1])),
  ('a row of condition 0 and condition 1', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 0, :t1, 0, 1], nconds => 3)),
  ('nrows short of the rows', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t2, 1, 2], nrows => 1)),
  ('nrows past the rows', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t1, 0, 2], nrows => 2)),
  ('nrows past the events', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1], nrows => 2)),
  ('rows without events', pg_temp.seq('(?1)(?2)', nrows => 1)),
  ('nevents 3 of 2 given', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t2, 1, 2], nevents => 3)),
  ('nevents 1 of 2 given', pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t2, 1, 2], nrows => 1, nevents => 1)),
  ('nevents -1', pg_temp.seq('(?1)(?2)', nevents => -1, nrows => 0)),
  ('nevents 2^24 + 1', pg_temp.seq('(?1)(?2)', nevents => 16777217, nrows => 0)),
  ('timestamptz at the end of the range', pg_temp.seq('(?1)(?2)', ARRAY[9223371331200000000, 0, 1])),
  ('timestamptz before the start of the range', pg_temp.seq('(?1)(?2)', ARRAY[-211813488000000001, 0, 1])),
  ('timestamptz one below infinity', pg_temp.seq('(?1)(?2)', ARRAY[9223372036854775806, 0, 1])),
  ('timestamptz one above -infinity', pg_temp.seq('(?1)(?2)', ARRAY[-9223372036854775807, 0, 1]));

SELECT id, what, pg_temp.outcome(format('SELECT %L::sequence_state IS NOT NULL', b)) AS text_input
FROM crafted ORDER BY id;

-- binary receive (a binary COPY, by the superuser): the same verdicts
RESET ROLE;
CREATE TEMP TABLE held (id int, s sequence_state);
CREATE FUNCTION pg_temp.recv_outcome(id int, b text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  path text := current_setting('data_directory') || '/funnel_seq_crafted.copy';
  lo oid;
BEGIN
  lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x00000000000000000002'::bytea
                         || '\x00000004'::bytea || int4send(id)
                         || int4send(length(decode(substr(b, 3), 'hex'))) || decode(substr(b, 3), 'hex')
                         || '\xffff'::bytea);
  PERFORM lo_export(lo, path);
  PERFORM lo_unlink(lo);
  RETURN pg_temp.code(format('COPY pg_temp.held FROM %L WITH (FORMAT binary)', path));
END $$;
SELECT id, what, pg_temp.recv_outcome(id, b) AS receive
FROM crafted ORDER BY id;
-- the accepted states are stored as they were given
SELECT c.id, c.what, h.s::text = c.b AS same_bytes FROM held h JOIN crafted c USING (id) ORDER BY id;
SET ROLE funnel_seq_crafter;

-- 3. Crafted states that a transition could have made give its answers:
-- events out of time order, and infinite times, read as the real states of
-- the same rows
CREATE TEMP TABLE rows3 (ts timestamptz, n bigint, kind text);
INSERT INTO rows3 VALUES ('2026-01-02', 2, 'b'), ('2026-01-01', 1, 'a'), ('2026-01-03', 3, 'a'),
  ('2026-01-03 12:00', 4, 'c'), ('2026-01-04', 5, 'b');
SELECT pg_temp.s_count(s) AS c_crafted, pg_temp.s_times(s) AS t_crafted,
       (SELECT sequence_count('(?1)(?2)', ts, kind = 'a', kind = 'b', kind = 'c') FROM rows3) AS c_real,
       (SELECT sequence_match_times('(?1)(?2)', ts, kind = 'a', kind = 'b', kind = 'c') FROM rows3) AS t_real
FROM (SELECT pg_temp.seq('(?1)(?2)', ARRAY[pg_temp.us('2026-01-02'), 0, 2, pg_temp.us('2026-01-01'), 1, 1,
                                            pg_temp.us('2026-01-03'), 2, 1, pg_temp.us('2026-01-03 12:00'), 3, 0,
                                            pg_temp.us('2026-01-04'), 4, 2], nconds => 3)::sequence_state AS s) x;
SELECT pg_temp.s_times(s) AS crafted,
       (SELECT sequence_match_times('(?2)(?t>=0)(?1)', ts, ts > '2000-01-01', ts < '2000-01-01')
        FROM (VALUES (timestamptz 'infinity'), ('-infinity')) v(ts)) AS real
FROM (SELECT pg_temp.seq('(?2)(?t>=0)(?1)', ARRAY[9223372036854775807, 0, 1, -9223372036854775808, 1, 2])::sequence_state AS s) x;
-- a crafted state continued by its own transition (initcond): rows 1 and 2
-- of the state, then the aggregate's rows
-- (an initcond that is no state is refused when the aggregate is made)
SELECT pg_temp.outcome(format('CREATE AGGREGATE pg_temp.count_from(text, timestamptz, VARIADIC boolean[]) '
                              '(sfunc = sequence_trans, stype = sequence_state, initcond = %L)',
                              pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t2, 0, 2]))) AS bad_initcond;
SELECT pg_temp.seq('(?1)(?2)', ARRAY[:t2, 0, 2, :t1, 1, 1]) AS initcond \gset
CREATE AGGREGATE pg_temp.count_from(text, timestamptz, VARIADIC boolean[])
  (sfunc = sequence_trans, stype = sequence_state, finalfunc = sequence_count_final, initcond = :'initcond');
CREATE AGGREGATE pg_temp.times_from(text, timestamptz, VARIADIC boolean[])
  (sfunc = sequence_trans, stype = sequence_state, finalfunc = sequence_match_times_final, initcond = :'initcond');
SELECT pg_temp.count_from('(?1)(?2)', ts, k = 1, k = 2) AS c, pg_temp.times_from('(?1)(?2)', ts, k = 1, k = 2) AS t,
       (SELECT sequence_count('(?1)(?2)', ts, k = 1, k = 2)
        FROM (VALUES (timestamptz '2026-01-02', 2), ('2026-01-01', 1), ('2025-12-31', 2), ('2026-01-03', 1), ('2026-01-04', 2)) w(ts, k)) AS c_real
FROM (VALUES (timestamptz '2025-12-31', 2), ('2026-01-03', 1), ('2026-01-04', 2)) v(ts, k);

-- 4. Valid states given to functions of another call.  The finals of
-- sequence_match and sequence_count read either axis; the times finals
-- only their own.
SELECT pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t2, 1, 2]) AS tz_state,
       pg_temp.seq('(?1)(?2)', ARRAY[1, 0, 1, 2, 1, 2], axis => 2) AS big_state,
       pg_temp.seq('(?2)(?1)', ARRAY[:t1, 0, 1, :t2, 1, 2]) AS other_pattern,
       pg_temp.seq('(?1)(?2)', ARRAY[:t1, 0, 1, :t2, 1, 2], nconds => 3) AS three_conds
\gset
SELECT pg_temp.part_ev('(?1)(?2)', ts, kind, '{a,b}') AS named_ab FROM rows3 \gset
SELECT pg_temp.part_ev('(?1)(?2)', ts, kind, '{a,c}') AS named_ac FROM rows3 \gset
SELECT pg_temp.s_match(:'tz_state') AS match_tz, pg_temp.s_count(:'tz_state') AS count_tz,
       pg_temp.s_match(:'big_state') AS match_big, pg_temp.s_count(:'big_state') AS count_big,
       pg_temp.s_times(:'tz_state') AS times_tz, pg_temp.s_times_big(:'big_state') AS times_big;
SELECT f, pg_temp.outcome(q) AS outcome FROM (VALUES
  ('times_bigint_final of a timestamptz state', format('SELECT pg_temp.s_times_big(%L)::text', :'tz_state')),
  ('times_final of a bigint state', format('SELECT pg_temp.s_times(%L)::text', :'big_state')),
  ('combine: other patterns', format('SELECT pg_temp.s_count(s) FROM (VALUES (%L::sequence_state), (%L)) v(s)', :'tz_state', :'other_pattern')),
  ('combine: other numbers of conditions', format('SELECT pg_temp.s_count(s) FROM (VALUES (%L::sequence_state), (%L)) v(s)', :'tz_state', :'three_conds')),
  ('combine: other axes', format('SELECT pg_temp.s_count(s) FROM (VALUES (%L::sequence_state), (%L)) v(s)', :'tz_state', :'big_state')),
  ('combine: other forms', format('SELECT pg_temp.s_count(s) FROM (VALUES (%L::sequence_state), (%L)) v(s)', :'tz_state', :'named_ab')),
  ('combine: other steps', format('SELECT pg_temp.s_count(s) FROM (VALUES (%L::sequence_state), (%L)) v(s)', :'named_ab', :'named_ac')),
  ('combine: one call', format('SELECT pg_temp.s_count(s) FROM (VALUES (%L::sequence_state), (%L)) v(s)', :'tz_state', :'tz_state')),
  ('combine: one call, named', format('SELECT pg_temp.s_count(s) FROM (VALUES (%L::sequence_state), (%L)) v(s)', :'named_ab', :'named_ab'))
) v(f, q);
-- the transitions: a state as initcond, rows of another call
CREATE FUNCTION pg_temp.initcond_outcome(transfn_args text, initcond text, call text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  r text;
BEGIN
  EXECUTE format('CREATE AGGREGATE pg_temp.ini(%s) (sfunc = sequence_trans, stype = sequence_state, '
                 'finalfunc = sequence_count_final, initcond = %L)', transfn_args, initcond);
  r := pg_temp.outcome(format('SELECT %s FROM pg_temp.rows3', call));
  EXECUTE format('DROP AGGREGATE pg_temp.ini(%s)', transfn_args);
  RETURN r;
END $$;
SELECT what, pg_temp.initcond_outcome(args, state, call) AS outcome FROM (VALUES
  ('its own call', 'text, timestamptz, VARIADIC boolean[]', :'tz_state', $$pg_temp.ini('(?1)(?2)', ts, kind = 'a', kind = 'b')$$),
  ('bigint times', 'text, bigint, VARIADIC boolean[]', :'tz_state', $$pg_temp.ini('(?1)(?2)', n, kind = 'a', kind = 'b')$$),
  ('timestamptz times', 'text, timestamptz, VARIADIC boolean[]', :'big_state', $$pg_temp.ini('(?1)(?2)', ts, kind = 'a', kind = 'b')$$),
  ('the event-name form', 'text, timestamptz, text, text[]', :'tz_state', $$pg_temp.ini('(?1)(?2)', ts, kind, '{a,b}')$$),
  ('the boolean form', 'text, timestamptz, VARIADIC boolean[]', :'named_ab', $$pg_temp.ini('(?1)(?2)', ts, kind = 'a', kind = 'b')$$),
  ('another pattern', 'text, timestamptz, VARIADIC boolean[]', :'tz_state', $$pg_temp.ini('(?2)(?1)', ts, kind = 'a', kind = 'b')$$),
  ('3 conditions', 'text, timestamptz, VARIADIC boolean[]', :'tz_state', $$pg_temp.ini('(?1)(?2)', ts, kind = 'a', kind = 'b', kind = 'c')$$),
  ('other steps', 'text, timestamptz, text, text[]', :'named_ab', $$pg_temp.ini('(?1)(?2)', ts, kind, '{a,c}')$$),
  ('its own steps', 'text, timestamptz, text, text[]', :'named_ab', $$pg_temp.ini('(?1)(?2)', ts, kind, '{a,b}')$$),
  ('bigint times, event-name form', 'text, bigint, text, text[]', :'named_ab', $$pg_temp.ini('(?1)(?2)', n, kind, '{a,b}')$$)
) v(what, args, state, call);
-- the transition and combine functions run only inside an aggregate
SELECT f, pg_temp.outcome(q) AS outcome FROM (VALUES
  ('sequence_trans', $$SELECT sequence_trans(NULL, '(?1)', now(), ARRAY[true])::text$$),
  ('sequence_combine', format('SELECT sequence_combine(NULL, %L)::text', :'tz_state'))) v(f, q);

-- A final function sorts its state's events in place: a stored value must
-- not be its argument (here one of 12 events in falling time order, kept
-- inline with a 4-byte header: read from the table, it is the page's own
-- bytes); the stored value must read the same after every call
CREATE TEMP TABLE stored (s sequence_state);
ALTER TABLE stored ALTER s SET STORAGE PLAIN;
INSERT INTO stored SELECT pg_temp.part_tz('(?1)', ts, true ORDER BY ts DESC)
FROM generate_series(timestamptz '2026-01-01', '2026-01-12', '1 day') ts;
SELECT md5(s::text) AS before FROM stored \gset
SELECT pg_column_size(s) BETWEEN 127 AND 2000 AS inline, pg_column_compression(s) IS NULL AS plain FROM stored;
-- an aggregate's final reads the aggregate's copy: 12 matches
SELECT pg_temp.s_count(s) AS c, pg_temp.s_times(s) AS t FROM stored;
SELECT md5(s::text) = :'before' AS unchanged FROM stored;
-- the finals called directly
SELECT f, pg_temp.outcome(format('SELECT %s(s)::text FROM pg_temp.stored', f)) AS outcome
FROM unnest(ARRAY['sequence_match_final', 'sequence_count_final', 'sequence_match_times_final']) f;
SELECT md5(s::text) = :'before' AS unchanged FROM stored;

-- 5. retention's int[] state: the transition, combine and final functions
-- take only a one-dimensional array of 0 and 1 from 1 without NULLs, of
-- one element per condition
CREATE FUNCTION pg_temp.ret_initcond(initcond text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r text;
BEGIN
  EXECUTE format('CREATE AGGREGATE pg_temp.rini(VARIADIC boolean[]) (sfunc = retention_trans, stype = int[], '
                 'finalfunc = retention_final, initcond = %L)', initcond);
  r := pg_temp.code($q$SELECT pg_temp.rini(k = 1, k = 2)::text FROM (VALUES (3), (2)) v(k)$q$);
  DROP AGGREGATE pg_temp.rini(boolean[]);
  RETURN r;
END $$;
CREATE FUNCTION pg_temp.give(s int[], x int[]) RETURNS int[] LANGUAGE sql AS 'SELECT x';
CREATE AGGREGATE pg_temp.r_given(int[]) (sfunc = pg_temp.give, stype = int[], finalfunc = retention_final);
CREATE TEMP TABLE ret_crafted (id serial, what text, s text);
INSERT INTO ret_crafted (what, s) VALUES
  ('valid {0,0}', '{0,0}'), ('valid {1,0}', '{1,0}'), ('valid {0,1}', '{0,1}'),
  ('empty', '{}'), ('two dimensions', '{{0,1},{1,0}}'), ('lower bound 0', '[0:1]={0,1}'),
  ('lower bound 2', '[2:3]={0,1}'), ('a NULL', '{0,NULL}'), ('an element 2', '{0,2}'),
  ('an element -1', '{-1,0}'), ('3 elements', '{0,0,0}'), ('1 element', '{1}'),
  ('1025 elements', array_fill(0, ARRAY[1025])::text);
SELECT id, what,
       pg_temp.ret_initcond(s) AS transition,
       pg_temp.code(format('SELECT pg_temp.r_final(x ORDER BY o)::text FROM (VALUES (1, %L::int[]), (2, %L)) v(o, x)', s, '{1,1}')) AS combine_first,
       pg_temp.code(format('SELECT pg_temp.r_final(x ORDER BY o)::text FROM (VALUES (1, %L::int[]), (2, %L)) v(o, x)', '{1,1}', s)) AS combine_second,
       pg_temp.code(format('SELECT pg_temp.r_final(x)::text FROM (VALUES (%L::int[])) v(x)', s)) AS combine_one,
       pg_temp.code(format('SELECT pg_temp.r_given(x)::text FROM (VALUES (%L::int[])) v(x)', s)) AS final
FROM ret_crafted ORDER BY id;
-- the errors in full
SELECT pg_temp.outcome($$SELECT pg_temp.r_final(x ORDER BY o)::text FROM (VALUES (1, '{1,0}'::int[]), (2, '{1,0,1}')) v(o, x)$$) AS combine_lengths;
SELECT pg_temp.outcome($$SELECT pg_temp.r_given(x)::text FROM (VALUES ('[0:1]={0,1}'::int[])) v(x)$$) AS final_lower_bound;
-- 1024 conditions are the most: a state of 1024 elements is read
SELECT pg_temp.r_given(x) = array_fill(1, ARRAY[1024]) AS final_1024 FROM (VALUES (array_fill(1, ARRAY[1024]))) v(x);
-- the transition and combine functions run only inside an aggregate; the
-- final reads its argument only
SELECT f, pg_temp.outcome(q) AS outcome FROM (VALUES
  ('retention_trans', $$SELECT retention_trans(NULL, ARRAY[true])::text$$),
  ('retention_combine', $$SELECT retention_combine('{1}', '{0}')::text$$),
  ('retention_final', $$SELECT retention_final('{1,0,1}')::text$$),
  ('retention_final', $$SELECT retention_final('{1,NULL}')::text$$)) v(f, q);

RESET ROLE;
DISCARD TEMP;
DROP ROLE funnel_seq_crafter;
