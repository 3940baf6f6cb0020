/*
 * window_funnel_order.c
 *		Whether the rows of each group reach a window_funnel call in time
 *		order, proven from the plan, so that its transition may stream.
 *
 * Streaming keeps a few records per step instead of every event, so it is
 * exact only when no row of a group can arrive earlier than one already
 * read.  That is proven, never guessed, in these cases:
 *
 *  - the call has ORDER BY ts (the aggregate sorts its own input);
 *  - the call has no ORDER BY or DISTINCT, its node is a plain or sorted
 *    aggregation (one group after another, or one group) that runs its
 *    final function itself, and its input comes straight from a Sort,
 *    Incremental Sort or Gather Merge whose keys are the grouping columns
 *    then ts ascending, or from a forward btree index scan whose columns
 *    are the grouping columns then ts, ascending.
 *
 * Everything else (hash aggregation, window aggregates, partial
 * aggregation, other inputs) buffers.  The answer is computed once per call
 * site and kept in its cache.
 */
#include "postgres.h"

#include "window_funnel.h"

#include "access/htup_details.h"
#include "access/relscan.h"
#include "catalog/pg_aggregate.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "catalog/pg_language.h"
#include "catalog/pg_proc.h"
#include "commands/defrem.h"
#include "executor/nodeAgg.h"
#include "nodes/execnodes.h"
#include "nodes/plannodes.h"
#include "nodes/nodeFuncs.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

static bool
wf_order_is_c_function(Oid fn)
{
	HeapTuple	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
	bool		c_language;

	if (!HeapTupleIsValid(tuple))
		return false;
	c_language = ((Form_pg_proc) GETSTRUCT(tuple))->prolang == ClanguageId;
	ReleaseSysCache(tuple);
	return c_language;
}

/*
 * The name of the final function of aggregate aggfnoid when its transition
 * is transfn and the final is a C function in the same schema; else NULL.
 * Only a superuser makes C functions, so no role's own final of the same
 * name (FINALFUNC_EXTRA gives it other arguments) can pass for ours and be
 * handed a streamed state.
 */
static char *
wf_order_final_name(Oid aggfnoid, Oid transfn)
{
	HeapTuple	tuple;
	Form_pg_aggregate agg;
	char	   *name = NULL;

	tuple = SearchSysCache1(AGGFNOID, ObjectIdGetDatum(aggfnoid));
	if (!HeapTupleIsValid(tuple))
		return NULL;
	agg = (Form_pg_aggregate) GETSTRUCT(tuple);
	if (agg->aggtransfn == transfn && OidIsValid(agg->aggfinalfn) &&
		get_func_namespace(agg->aggfinalfn) == get_func_namespace(agg->aggtransfn) &&
		wf_order_is_c_function(agg->aggfinalfn))
		name = get_func_name(agg->aggfinalfn);
	ReleaseSysCache(tuple);
	return name;
}

/* Is the aggregate called ours, with one of window_funnel's final functions? */
static bool
wf_order_final_is_ours(FunctionCallInfo fcinfo, const Aggref *aggref)
{
	char	   *name = wf_order_final_name(aggref->aggfnoid, fcinfo->flinfo->fn_oid);
	bool		ours;

	if (name == NULL)
		return false;
	ours = strcmp(name, "window_funnel_final") == 0 ||
		strcmp(name, "window_funnel_times_final") == 0 ||
		strcmp(name, "window_funnel_times_bigint_final") == 0;
	pfree(name);
	return ours;
}

bool
wf_call_wants_times(FunctionCallInfo fcinfo)
{
	AggState   *aggstate;
	int			transno;
	int			i;

	if (fcinfo->context == NULL || !IsA(fcinfo->context, AggState))
		return true;
	aggstate = (AggState *) fcinfo->context;
	if (aggstate->curpertrans == NULL)
		return true;
	transno = aggstate->curpertrans - aggstate->pertrans;
	for (i = 0; i < aggstate->numaggs; i++)
	{
		char	   *name;
		bool		level_only;

		if (aggstate->peragg[i].transno != transno)
			continue;
		name = wf_order_final_name(aggstate->peragg[i].aggref->aggfnoid, fcinfo->flinfo->fn_oid);
		level_only = name != NULL && strcmp(name, "window_funnel_final") == 0;
		if (name != NULL)
			pfree(name);
		if (!level_only)
			return true;
	}
	return false;
}

/* Is op the ascending comparison of type (its btree opclass's <)? */
static bool
wf_order_is_ascending(Oid op, Oid type)
{
	TypeCacheEntry *tc = lookup_type_cache(type, TYPECACHE_LT_OPR);

	return OidIsValid(op) && op == tc->lt_opr;
}

/*
 * Keys of a sort (numkeys columns of the node's output, ops their
 * operators): the grouping columns in any order, then ts_col ascending.
 */
static bool
wf_order_sort_keys(int numkeys, const AttrNumber *keys, const Oid *ops,
				   int ngroup, const AttrNumber *group, AttrNumber ts_col, Oid ts_type)
{
	int			k;
	int			g;

	if (numkeys <= ngroup)
		return false;
	for (k = 0; k < ngroup; k++)
	{
		for (g = 0; g < ngroup && group[g] != keys[k]; g++)
			;
		if (g == ngroup)
			return false;
	}
	return keys[ngroup] == ts_col && wf_order_is_ascending(ops[ngroup], ts_type);
}

/*
 * Index column k (0-based) of index rel, ascending in the default btree
 * ordering of type: not DESC, and its opclass the type's default.
 */
static bool
wf_order_index_column(Relation index, int k, Oid type)
{
	if (index->rd_indoption[k] & INDOPTION_DESC)
		return false;
	return index->rd_opfamily[k] == get_opclass_family(GetDefaultOpClass(type, BTREE_AM_OID));
}

/*
 * A forward btree scan of index whose first ngroup columns are the
 * grouping columns and whose next one is ts: cols gives, per grouping
 * column then ts, the index column (index_only) or the table column it
 * reads.
 */
static bool
wf_order_index(Relation index, ScanDirection dir, bool index_only,
			   int ngroup, const AttrNumber *cols, Oid ts_type)
{
	int			k;
	int			g;

	if (dir != ForwardScanDirection || index->rd_rel->relam != BTREE_AM_OID ||
		index->rd_index->indnkeyatts <= ngroup)
		return false;
	for (k = 0; k <= ngroup; k++)
	{
		AttrNumber	col = index_only ? k + 1 : index->rd_index->indkey.values[k];

		if (col == 0)
			return false;		/* an expression column */
		if (k == ngroup)
			return cols[ngroup] == col && wf_order_index_column(index, k, ts_type);
		for (g = 0; g < ngroup && cols[g] != col; g++)
			;
		if (g == ngroup)
			return false;
	}
	return false;
}

/*
 * The columns an index scan child reads for the grouping columns and ts
 * (positions in its target list), into cols; false unless each is a plain
 * column of the scan (varno: the relation, or INDEX_VAR for index-only).
 */
static bool
wf_order_scan_columns(const Plan *child, int varno, int ngroup, const AttrNumber *group,
					  AttrNumber ts_col, AttrNumber *cols)
{
	int			k;

	for (k = 0; k <= ngroup; k++)
	{
		AttrNumber	pos = k < ngroup ? group[k] : ts_col;
		TargetEntry *te;

		if (pos < 1 || pos > list_length(child->targetlist))
			return false;
		te = list_nth_node(TargetEntry, child->targetlist, pos - 1);
		if (!IsA(te->expr, Var) || ((Var *) te->expr)->varno != varno ||
			((Var *) te->expr)->varattno <= 0)
			return false;
		cols[k] = ((Var *) te->expr)->varattno;
	}
	return true;
}

/* Does the child node deliver each group's rows in ts order? */
static bool
wf_order_child(PlanState *child, int ngroup, const AttrNumber *group, AttrNumber ts_col, Oid ts_type)
{
	Plan	   *plan = child->plan;
	AttrNumber	cols[INDEX_MAX_KEYS + 1];

	if (ngroup >= INDEX_MAX_KEYS)
		return false;
	switch (nodeTag(child))
	{
		case T_SortState:
		case T_IncrementalSortState:
			{
				/* an incremental sort's plan begins with its full sort */
				Sort	   *sort = (Sort *) plan;

				return wf_order_sort_keys(sort->numCols, sort->sortColIdx, sort->sortOperators,
										  ngroup, group, ts_col, ts_type);
			}
		case T_GatherMergeState:
			{
				GatherMerge *gm = (GatherMerge *) plan;

				return wf_order_sort_keys(gm->numCols, gm->sortColIdx, gm->sortOperators,
										  ngroup, group, ts_col, ts_type);
			}
		case T_IndexScanState:
			return wf_order_scan_columns(plan, ((Scan *) plan)->scanrelid, ngroup, group, ts_col, cols) &&
				wf_order_index(((IndexScanState *) child)->iss_RelationDesc,
							   ((IndexScan *) plan)->indexorderdir, false, ngroup, cols, ts_type);
		case T_IndexOnlyScanState:
			return wf_order_scan_columns(plan, INDEX_VAR, ngroup, group, ts_col, cols) &&
				wf_order_index(((IndexOnlyScanState *) child)->ioss_RelationDesc,
							   ((IndexOnlyScan *) plan)->indexorderdir, true, ngroup, cols, ts_type);
		default:
			return false;
	}
}

bool
wf_rows_in_time_order(FunctionCallInfo fcinfo, int ts_arg)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	AggState   *aggstate;
	Agg		   *agg;
	TargetEntry *ts_entry;
	Var		   *ts_var;

	if (aggref == NULL || aggref->aggdistinct != NIL || !IsA(fcinfo->context, AggState) ||
		list_length(aggref->args) < ts_arg || !wf_order_final_is_ours(fcinfo, aggref))
		return false;
	aggstate = (AggState *) fcinfo->context;
	if (aggstate->aggsplit != AGGSPLIT_SIMPLE)
		return false;
	ts_entry = list_nth_node(TargetEntry, aggref->args, ts_arg - 1);
	if (aggref->aggorder != NIL)
	{
		SortGroupClause *first = linitial_node(SortGroupClause, aggref->aggorder);

		return first->tleSortGroupRef == ts_entry->ressortgroupref &&
			wf_order_is_ascending(first->sortop, exprType((Node *) ts_entry->expr));
	}
	agg = (Agg *) aggstate->ss.ps.plan;
	if ((agg->aggstrategy != AGG_SORTED && agg->aggstrategy != AGG_PLAIN) ||
		agg->groupingSets != NIL || !IsA(ts_entry->expr, Var))
		return false;
	ts_var = (Var *) ts_entry->expr;
	if (ts_var->varno != OUTER_VAR)
		return false;
	return wf_order_child(outerPlanState(aggstate), agg->numCols, agg->grpColIdx,
						  ts_var->varattno, ts_var->vartype);
}
