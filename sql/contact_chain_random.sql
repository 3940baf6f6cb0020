-- contact_chain's C functions against slow PL/pgSQL references on random chains.
--
-- contact_chain: the C conformance functions, order, casts and text form
-- against slow, obviously-correct PL/pgSQL references on random chains.
-- Output is only the number of cases and of mismatches (must be 0).
SET max_parallel_workers_per_gather = 0;

-- longest common subsequence: the full textbook table, L[i][j] for the
-- first i kinds of a and the first j kinds of p
CREATE FUNCTION pg_temp.ref_lcs(a text[], p text[]) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  n int := coalesce(array_length(a, 1), 0);
  m int := coalesce(array_length(p, 1), 0);
  l int[];
BEGIN
  l := array_fill(0, ARRAY[n + 1, m + 1], ARRAY[0, 0]);
  FOR i IN 1..n LOOP
    FOR j IN 1..m LOOP
      IF a[i] = p[j] COLLATE "C" THEN
        l[i][j] := l[i - 1][j - 1] + 1;
      ELSE
        l[i][j] := greatest(l[i - 1][j], l[i][j - 1]);
      END IF;
    END LOOP;
  END LOOP;
  RETURN l[n][m];
END $$;

-- p is an ordered subsequence of a exactly when all of p is in their LCS
CREATE FUNCTION pg_temp.ref_contains(a text[], p text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT pg_temp.ref_lcs(a, p) = coalesce(array_length(p, 1), 0)
$$;

-- walk a once, advancing in p on every match; the first p kind not reached
CREATE FUNCTION pg_temp.ref_next(a text[], p text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  j int := 1;
BEGIN
  FOR i IN 1..coalesce(array_length(a, 1), 0) LOOP
    IF j <= coalesce(array_length(p, 1), 0) AND a[i] = p[j] COLLATE "C" THEN
      j := j + 1;
    END IF;
  END LOOP;
  RETURN p[j];
END $$;

-- a random chain over the first alphabet_size kinds of a fixed alphabet
-- (Latin, Cyrillic, a kind with '>' and one with edge spaces and quotes)
CREATE FUNCTION pg_temp.random_kinds(alphabet_size int, max_len int) RETURNS text[] LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  alphabet text[] := ARRAY['a', 'ab', 'звонок', 'x > y', 'b', ' "q" '];
  result text[] := '{}';
BEGIN
  FOR i IN 1..floor(random() * (max_len + 1))::int LOOP
    result := result || alphabet[1 + floor(random() * alphabet_size)::int];
  END LOOP;
  RETURN result;
END $$;

SELECT setseed(0.5);
CREATE TEMP TABLE cases AS
SELECT i, a, p, a::contact_chain AS ca, p::contact_chain AS cp
FROM (SELECT i, pg_temp.random_kinds(k, 12) a, pg_temp.random_kinds(k, 6) p
      FROM (SELECT i, 1 + floor(random() * 6)::int k FROM generate_series(1, 4000) i) s) r;

-- the cases cover what matters
SELECT count(*) AS cases,
       count(*) FILTER (WHERE cardinality(a) = 0) > 0 AS has_empty_actual,
       count(*) FILTER (WHERE cardinality(p) = 0) > 0 AS has_empty_prescribed,
       count(*) FILTER (WHERE pg_temp.ref_contains(a, p) AND cardinality(p) > 0) > 100 AS many_contained,
       count(*) FILTER (WHERE NOT pg_temp.ref_contains(a, p)) > 100 AS many_not_contained,
       count(*) FILTER (WHERE pg_temp.ref_lcs(a, p) BETWEEN 1 AND cardinality(p) - 1) > 100 AS many_partial,
       count(*) FILTER (WHERE pg_temp.ref_lcs(a, p) < cardinality(a)) > 100 AS many_with_extra,
       count(*) FILTER (WHERE a = p) > 10 AS some_equal
FROM cases;

SELECT count(*) AS cases,
       count(*) FILTER (WHERE (ca @> cp) IS DISTINCT FROM pg_temp.ref_contains(a, p)) AS contains_mismatches,
       count(*) FILTER (WHERE (cp <@ ca) IS DISTINCT FROM pg_temp.ref_contains(a, p)) AS contained_mismatches,
       count(*) FILTER (WHERE chain_conformance(ca, cp) IS DISTINCT FROM
                              CASE WHEN cardinality(p) = 0 THEN 1.0::float8
                                   ELSE pg_temp.ref_lcs(a, p)::float8 / cardinality(p) END) AS conformance_mismatches,
       count(*) FILTER (WHERE chain_next(ca, cp) IS DISTINCT FROM pg_temp.ref_next(a, p)) AS next_mismatches,
       count(*) FILTER (WHERE chain_extra(ca, cp) IS DISTINCT FROM
                              cardinality(a) - pg_temp.ref_lcs(a, p)) AS extra_mismatches
FROM cases;

-- text and array round trips, length, ||, order and equality against text[]
-- compared bytewise
SELECT count(*) AS cases,
       count(*) FILTER (WHERE ca::text::contact_chain IS DISTINCT FROM ca
                           OR ca::text::contact_chain::text IS DISTINCT FROM ca::text) AS text_mismatches,
       count(*) FILTER (WHERE chain_kinds(ca) IS DISTINCT FROM a) AS array_mismatches,
       count(*) FILTER (WHERE chain_length(ca) IS DISTINCT FROM cardinality(a)) AS length_mismatches,
       count(*) FILTER (WHERE chain_kinds(ca || cp) IS DISTINCT FROM a || p) AS concat_mismatches,
       count(*) FILTER (WHERE sign(contact_chain_cmp(ca, cp)) IS DISTINCT FROM
                              CASE WHEN a COLLATE "C" < p THEN -1 WHEN a COLLATE "C" > p THEN 1 ELSE 0 END)
         AS order_mismatches,
       count(*) FILTER (WHERE (ca = cp) IS DISTINCT FROM (a = p)
                           OR (ca < cp) IS DISTINCT FROM (a COLLATE "C" < p)
                           OR (ca >= cp) IS DISTINCT FROM (a COLLATE "C" >= p)) AS operator_mismatches,
       count(*) FILTER (WHERE ca = cp AND contact_chain_hash(ca) <> contact_chain_hash(cp)) AS hash_mismatches
FROM cases;
