/*
 * window_funnel_plan.c
 *		What the planner is told of window_funnel: that hashing its groups
 *		costs more than the planner's model of hash aggregation says.
 *
 * A hash aggregation holds every group's state at once, and the state of a
 * window_funnel group buffers an event per matching row (16 bytes each,
 * grown by doubling, then sorted by the final function), while a sorted
 * aggregation over rows in (group, ts) order streams them and keeps a few
 * records per step (window_funnel_order.c).  PostgreSQL costs both the
 * same per row, so with a large work_mem it hashes even where an index on
 * (group, ts) gives the ordered rows for the price of reading them.  Over
 * the benchmark's clustered events the hash plan took 1.4 times as long.
 *
 * The transition functions (window_funnel's and the sequence aggregates',
 * which buffer the same events) have a support function (window_funnel_support):
 * the planner calls it while costing the aggregates of a query level, which
 * loads this library and names that level; when the level's grouping paths
 * are made (create_upper_paths_hook), each hash aggregation path is charged
 * cpu_tuple_cost per input row more, the cost of storing and re-reading a
 * tuple, for the events it buffers.  That keeps hashing where the rows need
 * a sort (a table in arrival order) and lets an index read in (group, ts)
 * order win when it costs less than that.
 */
#include "postgres.h"

#include "window_funnel.h"
#include "window_funnel_plan.h"

#include "nodes/pathnodes.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/paths.h"
#include "optimizer/planner.h"

PG_FUNCTION_INFO_V1(window_funnel_support);

static create_upper_paths_hook_type wf_prev_upper_paths_hook = NULL;

/* The query level whose aggregates include window_funnel, being planned. */
static PlannerInfo *wf_planning_root = NULL;

/* list_sort's comparator: by total cost, the order add_path keeps */
static int
wf_cmp_total_cost(const ListCell *a, const ListCell *b)
{
	return compare_path_costs((Path *) lfirst(a), (Path *) lfirst(b), TOTAL_COST);
}

/*
 * Charge each hash aggregation path of paths for the events it buffers,
 * and sort the list again: the planner takes the first path of a list as
 * its cheapest (the partial path a Gather gets, a partition's path under a
 * Parallel Append).
 */
static void
wf_charge_hashing(List *paths)
{
	ListCell   *lc;
	bool		charged = false;

	foreach(lc, paths)
	{
		Path	   *path = (Path *) lfirst(lc);

		if (IsA(path, AggPath) && ((AggPath *) path)->aggstrategy == AGG_HASHED)
		{
			Cost		buffering = cpu_tuple_cost * ((AggPath *) path)->subpath->rows;

			path->startup_cost += buffering;
			path->total_cost += buffering;
			charged = true;
		}
	}
	if (charged)
		list_sort(paths, wf_cmp_total_cost);
}

/*
 * Under partitionwise aggregation, the Append of the partitions' grouping
 * paths (each charged in its own call of the hook) was added to the level's
 * grouping rel before the level's own hash aggregation path, which add_path
 * then compared with it uncharged and may have found cheaper, dropping the
 * Append.  Add the Append paths again, as create_partitionwise_grouping_paths
 * does.  The partitions' grouping rels are the level's other grouping rels;
 * where a partition has no grouping path (partial partitionwise aggregation)
 * there is nothing to add.
 */
static void
wf_append_partitions(PlannerInfo *root, RelOptInfo *input_rel, RelOptInfo *output_rel)
{
	List	   *parts = NIL;
	int			i = -1;

	if (!IS_PARTITIONED_REL(input_rel))
		return;
	while ((i = bms_next_member(input_rel->live_parts, i)) >= 0)
	{
		RelOptInfo *grouped = NULL;
		ListCell   *lc;

		if (IS_DUMMY_REL(input_rel->part_rels[i]))
			continue;			/* skipped by the planner too */
		foreach(lc, root->upper_rels[UPPERREL_GROUP_AGG])
		{
			RelOptInfo *rel = (RelOptInfo *) lfirst(lc);

			if (bms_equal(rel->relids, input_rel->part_rels[i]->relids))
				grouped = rel;
		}
		if (grouped == NULL || grouped->cheapest_total_path == NULL)
			return;
		parts = lappend(parts, grouped);
	}
	add_paths_to_append_rel(root, output_rel, parts);
}

/*
 * The partial grouping paths (parallel workers) come first, then the
 * grouping paths, which include those finishing partial ones.  Under
 * partitionwise aggregation each partition's grouping paths come before
 * the level's own, with the same root.
 */
static void
wf_upper_paths(PlannerInfo *root, UpperRelationKind stage, RelOptInfo *input_rel,
			   RelOptInfo *output_rel, void *extra)
{
	bool		ours = root == wf_planning_root;

	if (wf_prev_upper_paths_hook)
		wf_prev_upper_paths_hook(root, stage, input_rel, output_rel, extra);
	if (stage == UPPERREL_PARTIAL_GROUP_AGG && ours)
	{
		wf_charge_hashing(output_rel->pathlist);
		wf_charge_hashing(output_rel->partial_pathlist);
	}
	else if (stage == UPPERREL_GROUP_AGG)
	{
		if (ours)
		{
			wf_charge_hashing(output_rel->pathlist);
			wf_append_partitions(root, input_rel, output_rel);
		}
		/* a level's costing and its grouping paths come together: forget it */
		if (!IS_OTHER_REL(output_rel))
			wf_planning_root = NULL;
	}
}

void
wf_plan_init(void)
{
	wf_prev_upper_paths_hook = create_upper_paths_hook;
	create_upper_paths_hook = wf_upper_paths;
}

/*
 * The support function of the transition functions: asked for their cost
 * (the planner costing a query level's aggregates), it names the level and
 * leaves the cost to pg_proc.
 */
Datum
window_funnel_support(PG_FUNCTION_ARGS)
{
	Node	   *req = (Node *) PG_GETARG_POINTER(0);

	if (IsA(req, SupportRequestCost) && ((SupportRequestCost *) req)->root != NULL)
		wf_planning_root = ((SupportRequestCost *) req)->root;
	PG_RETURN_POINTER(NULL);
}
