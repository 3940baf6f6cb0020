/*
 * bar.h
 *		ClickHouse's bar: a value drawn as a line of Unicode blocks, in
 *		eighths of a character.
 */
#ifndef FUNNEL_BAR_H
#define FUNNEL_BAR_H

#define FN_BAR_MAX_WIDTH 1000

/* Raise 22023 unless 1 <= width <= FN_BAR_MAX_WIDTH. */
extern void fn_bar_check_width(int width);

/*
 * The bar of x on the scale [min, max] drawn in width characters (checked
 * here: 22023 for a width out of range, non-finite bounds or max <= min),
 * in the database encoding.
 */
extern text *fn_bar(double x, double min, double max, int width);

#endif							/* FUNNEL_BAR_H */
