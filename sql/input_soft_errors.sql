-- Soft input errors of every type: pg_input_is_valid, pg_input_error_info, COPY ON_ERROR.
--
-- Soft input errors (PostgreSQL 16+): every type's input function reports
-- through the soft-error context, so pg_input_is_valid, pg_input_error_info
-- and, on 17+, COPY ... (ON_ERROR ignore) work for every type (the value
-- types and the aggregate states; COPY is checked with the five of 0.1).
-- The saved error must be the very error the cast raises.  On 15 and 16 this
-- file runs nothing (expected/input_soft_errors_1.out); the checks are in
-- test/include/checks_soft_errors_pg17.sql.
SELECT current_setting('server_version_num')::int >= 170000 AS soft_errors \gset
\if :soft_errors
\i test/include/checks_soft_errors_pg17.sql
\else
SELECT 'soft input errors are tested on PostgreSQL 17 and later' AS skipped;
\endif
