-- The funnel extension's objects, one line each, for comparing an upgraded
-- installation with a fresh one: every member (pg_depend 'e'), described, with
-- the properties an upgrade script could get wrong: for functions their
-- volatility, strictness, parallel safety, security, settings, result, body
-- and privileges; for aggregates their support functions and state; for
-- types their storage; for operators and casts their functions; and every
-- comment.
SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
       || coalesce(' | ' || f.props, '') || coalesce(' | ' || a.props, '') || coalesce(' | ' || t.props, '')
       || coalesce(' | ' || o.props, '') || coalesce(' | ' || k.props, '')
       || coalesce(' | comment: ' || c.description, '')
FROM pg_depend d
LEFT JOIN LATERAL (
  SELECT format('volatility=%s strict=%s parallel=%s secdef=%s leakproof=%s kind=%s config=%s returns=%s set=%s acl=%s lang=%s body=%s bin=%s',
                p.provolatile, p.proisstrict, p.proparallel, p.prosecdef, p.proleakproof, p.prokind,
                p.proconfig, p.prorettype::regtype, p.proretset, p.proacl, l.lanname, md5(p.prosrc), p.probin) AS props
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
  WHERE d.classid = 'pg_proc'::regclass AND p.oid = d.objid) f ON true
LEFT JOIN LATERAL (
  SELECT format('kind=%s trans=%s final=%s combine=%s serial=%s deserial=%s mtrans=%s minv=%s mfinal=%s state=%s mstate=%s init=%s extra=%s modify=%s sort=%s',
                g.aggkind, g.aggtransfn, g.aggfinalfn, g.aggcombinefn, g.aggserialfn, g.aggdeserialfn,
                g.aggmtransfn, g.aggminvtransfn, g.aggmfinalfn, g.aggtranstype::regtype, g.aggmtranstype::regtype,
                g.agginitval, g.aggfinalextra, g.aggfinalmodify, g.aggsortop::regoperator) AS props
  FROM pg_aggregate g
  WHERE d.classid = 'pg_proc'::regclass AND g.aggfnoid = d.objid) a ON true
LEFT JOIN LATERAL (
  SELECT format('len=%s align=%s storage=%s in=%s out=%s recv=%s send=%s typmod=%s analyze=%s category=%s',
                y.typlen, y.typalign, y.typstorage, y.typinput, y.typoutput, y.typreceive, y.typsend,
                y.typmodin, y.typanalyze, y.typcategory) AS props
  FROM pg_type y
  WHERE d.classid = 'pg_type'::regclass AND y.oid = d.objid) t ON true
LEFT JOIN LATERAL (
  SELECT format('code=%s restrict=%s join=%s hashes=%s merges=%s commutator=%s negator=%s',
                r.oprcode, r.oprrest, r.oprjoin, r.oprcanhash, r.oprcanmerge,
                r.oprcom::regoperator, r.oprnegate::regoperator) AS props
  FROM pg_operator r
  WHERE d.classid = 'pg_operator'::regclass AND r.oid = d.objid) o ON true
LEFT JOIN LATERAL (
  SELECT format('function=%s context=%s method=%s', x.castfunc::regprocedure, x.castcontext, x.castmethod) AS props
  FROM pg_cast x
  WHERE d.classid = 'pg_cast'::regclass AND x.oid = d.objid) k ON true
LEFT JOIN pg_description c ON c.classoid = d.classid AND c.objoid = d.objid AND c.objsubid = 0
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'funnel')
  AND d.deptype = 'e'
ORDER BY 1;
