/*
 * window_funnel_plan.h
 *		window_funnel's planner hook (window_funnel_plan.c), which the
 *		module's _PG_init installs.
 */
#ifndef WINDOW_FUNNEL_PLAN_H
#define WINDOW_FUNNEL_PLAN_H

/* Install window_funnel's planner hook, from _PG_init. */
extern void wf_plan_init(void);

#endif							/* WINDOW_FUNNEL_PLAN_H */
