-- Setup of test/suites/cancel.sh: what a query there needs and cannot
-- build fast enough itself.
--
-- One window_funnel_state of 4M events under funnel items (optional 2)
-- over 1,024 event-name steps, read from its byte form (version 4, bigint
-- axis): one event at time 0, then two at each time, so every time's
-- events start at an odd index (a cancel check by index, every 65536
-- events, never fired here; issue 27, F4).  Steps 1 to 1,023 repeat, so
-- the search never completes and reads every time, over every step.  A
-- query of it runs only the combine function's copy and the final
-- function's search, about 2.5 s.
CREATE AGGREGATE wf_level_of(window_funnel_state) (
    SFUNC = window_funnel_combine, STYPE = window_funnel_state, FINALFUNC = window_funnel_final);
CREATE TABLE wf_items_state (s window_funnel_state);
-- stored uncompressed: reading it back takes no time to speak of
ALTER TABLE wf_items_state ALTER COLUMN s SET STORAGE EXTERNAL;
INSERT INTO wf_items_state
SELECT ('\x' || encode(
           -- version, sorted, mode (items), window, steps, steps key, rows, events
           '\x04'::bytea || '\x01' || int4send(32) || int8send(1000000000) || int4send(1024)
           || int8send(1234567) || int4send(4000000) || int8send(4000000)
           -- one item, no values, bigint axis; the item: optional 2
           || int2send(1::int2) || '\x00' || '\x02'
           || int2send(2::int2) || int2send(2::int2) || int4send(0) || int8send(0)
           -- the events: time, row, step
           || string_agg(int8send((i + 1) / 2) || int4send(i) || int2send((1 + i % 1023)::int2), ''),
           'hex'))::window_funnel_state
FROM generate_series(0, 3999999) i;

-- One sequence_state of 8M events (bigint axis, rows in a scrambled time
-- order, so the final sorts them) and a pattern of 20 atoms apart by .*:
-- a query of it runs the combine function's copy, the sort, the
-- matcher's backward pass and sequence_count's walks, about 3 s.
CREATE AGGREGATE seq_state_of(text, bigint, VARIADIC boolean[]) (
    SFUNC = sequence_trans, STYPE = sequence_state);
CREATE AGGREGATE seq_count_of(sequence_state) (
    SFUNC = sequence_combine, STYPE = sequence_state, FINALFUNC = sequence_count_final);
CREATE TABLE seq_big_state (s sequence_state);
ALTER TABLE seq_big_state ALTER COLUMN s SET STORAGE EXTERNAL;
INSERT INTO seq_big_state
SELECT seq_state_of(rtrim(repeat('(?1).*(?2).*', 10), '.*'), (i * 7919) % 8000000, i % 3 = 0, i % 3 = 1, i % 3 = 2)
FROM generate_series(0::bigint, 7999999) i;
