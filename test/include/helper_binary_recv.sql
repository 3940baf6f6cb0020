-- Test helper: feed raw bytes to a type's binary receive function through a
-- one-row binary COPY file, and return the value's text form.  Included by
-- regression tests and by test/suites/dump_restore.sh; needs a superuser.
CREATE OR REPLACE FUNCTION pg_temp.recv_as(type_name regtype, field bytea)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  -- in the data directory (removed with the cluster, private to it), one
  -- file per backend
  path text := current_setting('data_directory') || '/funnel_recv_' || pg_backend_pid() || '.copy';
  copy_file bytea;
  result text;
BEGIN
  copy_file := '\x5047434f50590aff0d0a00'::bytea      -- signature
    || '\x0000000000000000'::bytea                     -- flags, header extension
    || '\x0001'::bytea                                 -- one field
    || int4send(length(field)) || field
    || '\xffff'::bytea;                                -- trailer
  PERFORM lo_unlink(oid) FROM pg_largeobject_metadata WHERE oid = 942942;
  PERFORM lo_from_bytea(942942, copy_file);
  PERFORM lo_export(942942, path);
  PERFORM lo_unlink(942942);
  EXECUTE format('CREATE TEMP TABLE recv_target (v %s)', type_name);
  BEGIN
    EXECUTE format('COPY recv_target FROM %L WITH (FORMAT binary)', path);
    SELECT v::text INTO result FROM recv_target;
  EXCEPTION WHEN others THEN
    DROP TABLE recv_target;
    RAISE;
  END;
  DROP TABLE recv_target;
  RETURN result;
END $$;
