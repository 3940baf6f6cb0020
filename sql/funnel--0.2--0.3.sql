-- funnel 0.2 -> 0.3: every change to an SQL object after the release of
-- 0.2 goes here, in plain SQL (0.2's scripts are frozen: the upgrade suite
-- checks their checksums).  A fresh install of 0.3 runs 0.1's script, then
-- 0.1 -> 0.2 and this one, so the fresh and the upgraded catalogs cannot
-- drift apart.
\echo Use "ALTER EXTENSION funnel UPDATE TO '0.3'" to load this file. \quit
