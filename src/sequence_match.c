/*
 * sequence_match.c
 *		Match a compiled sequence pattern against a group's events with the
 *		answers of ClickHouse's backtracking search, in O(n x k) time.
 *
 * ClickHouse searches depth first over the actions (an implicit .* first):
 * (?N) and . consume the current event; .* tries to stop at the current
 * event, then at each later one; (?t OP V) tests the current event e, not
 * consuming it, as t(e) OP t(base) + V, where base is the event the
 * previous (?N) or . consumed, or where the previous .* or time condition
 * stopped; it stops at the first event that passes, or later ones (the
 * failing < and <= backtrack, the failing >, >= and == move on, which
 * comes to the same on events in time order).  When the events run out,
 * the actions left must all be .*, <, <= or >= 0.
 *
 * So whether actions i.. can match from event cur, matches(i, cur), depends
 * on i and cur alone: base is cur - 1 after a (?N) or ., cur after a .* or
 * time condition.  One backward pass over the events computes it for every
 * action, keeping per action after a .* or time condition the first event
 * from cur on where it holds (next), and the last one (last):
 *
 *	(?N)	has(cur, N) and matches(i + 1, cur + 1)
 *	.		matches(i + 1, cur + 1)
 *	.*		next(i + 1, cur) exists
 *	< <=	t(next(i + 1, cur)) OP t(base) + V: times only grow, so the first
 *			stop is the best one
 *	> >=	t(last(i + 1)) OP t(base) + V, when next(i + 1, cur) exists
 *	==		the first stop among the events at t(base) + V, by binary search
 *
 * The search's first match is then a walk that takes at each .* or time
 * condition the first stop from which the rest matches (next), which is
 * the alignment the depth-first search finds first; sequence_count walks
 * from where the previous match ended, as ClickHouse's count loop does.
 * Work: O(n x k) for the pass (O(n x k x log n) with ==), O(k log n) per
 * walk; memory: a bit per event for each .* or time condition when walks
 * are wanted, 4 bytes after == (whose pass needs them).
 */
#include "postgres.h"

#include "sequence_match.h"

#include "port/pg_bitutils.h"
#include "utils/memutils.h"

static inline bool
seq_has(const SeqEvents *ev, int64 e, int slot)
{
	return (ev->masks[e * ev->words + slot / 64] >> (slot % 64)) & 1;
}

/* t + v, v >= 0, saturated */
static inline int64
seq_add(int64 t, int64 v)
{
	return t > PG_INT64_MAX - v ? PG_INT64_MAX : t + v;
}

static inline bool
seq_time_ok(uint8 op, int64 t, int64 target)
{
	switch (op)
	{
		case SEQ_LT:
			return t < target;
		case SEQ_LE:
			return t <= target;
		case SEQ_GT:
			return t > target;
		case SEQ_GE:
			return t >= target;
		default:
			return t == target;
	}
}

/* The first event in [from, n) whose time is > target (after) or >= target. */
static int64
seq_first_time(const SeqEvents *ev, int64 from, int64 target, bool after)
{
	int64		lo = from;
	int64		hi = ev->n;

	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (ev->ts[mid] > target || (!after && ev->ts[mid] == target))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* t(base) + V of time condition i at event cur; false when no base can precede it */
static inline bool
seq_target(const SeqMatcher *m, int i, int64 cur, int64 *target)
{
	uint8		before = m->c->pat.actions[i - 1].kind;
	int64		base = cur;

	if (before == SEQ_EVENT || before == SEQ_ANY)
	{
		if (cur == 0)
			return false;
		base = cur - 1;
	}
	*target = seq_add(m->ev->ts[base], m->c->limits[i]);
	return true;
}

/* Per action after a .* or time condition, in the backward pass: first and last stops. */
typedef struct SeqPass
{
	bool	   *prev;			/* matches(., cur + 1) */
	int64	   *run;			/* next(., cur), n if none */
	int64	   *last;			/* last(.), -1 if none yet */
} SeqPass;

/* matches(i, cur) for cur < n, from the pass's rows of larger actions and later events */
static bool
seq_matches_at(const SeqMatcher *m, const SeqPass *p, int i, int64 cur)
{
	const SeqAction *a = &m->c->pat.actions[i];
	int64		n = m->ev->n;
	int64		target;
	int64		s;

	switch (a->kind)
	{
		case SEQ_EVENT:
			return p->prev[i + 1] && seq_has(m->ev, cur, a->slot);
		case SEQ_ANY:
			return p->prev[i + 1];
		case SEQ_STAR:
			return p->run[i + 1] < n;
		default:
			break;
	}
	if (p->run[i + 1] >= n || !seq_target(m, i, cur, &target))
		return false;
	if (a->op == SEQ_LT || a->op == SEQ_LE)
		return seq_time_ok(a->op, m->ev->ts[p->run[i + 1]], target);
	if (a->op == SEQ_GT || a->op == SEQ_GE)
		return seq_time_ok(a->op, m->ev->ts[p->last[i + 1]], target);
	s = seq_first_time(m->ev, cur, target, false);
	if (s == n || m->ev->ts[s] != target)
		return false;
	s = m->next[i + 1][s];
	return s < n && m->ev->ts[s] == target;
}

/* Whether action i - 1 is a .* or a time condition, and if so whether it is ==. */
static inline bool
seq_after_scan(const SeqCompiled *c, int i, bool *eq)
{
	const SeqAction *a = &c->pat.actions[i - 1];

	Assert(i >= 1);
	*eq = a->kind == SEQ_TIME && a->op == SEQ_EQ;
	return a->kind == SEQ_STAR || a->kind == SEQ_TIME;
}

/*
 * The stops kept of the rows after a .* or time condition (m->kept): whole
 * arrays after == (its pass looks stops up anywhere), bitmaps after the
 * others when walks are wanted, in one allocation.  Raise 54000 beyond
 * SEQ_MAX_MATCH_BYTES.
 */
static void
seq_alloc_stops(SeqMatcher *m, bool walks)
{
	int64		n = m->ev->n;
	Size		words = (Size) (n / 64 + 1);
	Size		bitmaps = 0;
	Size		bytes = 0;
	uint64	   *bits = NULL;
	bool		eq;
	int			i;

	for (i = 1; i <= m->k; i++)
	{
		m->kept[i] = seq_after_scan(m->c, i, &eq);
		if (m->kept[i] && eq)
			bytes += sizeof(int32) * (n + 1);
		else if (m->kept[i] && walks)
			bitmaps++;
	}
	bytes += sizeof(uint64) * words * bitmaps;
	if (bytes > SEQ_MAX_MATCH_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sequence pattern is too long for a group of %lld events", (long long) n),
				 errdetail("Matching it would keep %zu MB; the limit is %zu MB.",
						   bytes >> 20, SEQ_MAX_MATCH_BYTES >> 20),
				 errhint("Group by a finer key, or use fewer .* and time conditions.")));
	if (bitmaps > 0)
		bits = palloc_extended(sizeof(uint64) * words * bitmaps, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (i = 1; i <= m->k; i++)
	{
		if (!m->kept[i])
			continue;
		(void) seq_after_scan(m->c, i, &eq);
		if (eq)
		{
			m->next[i] = palloc_extended(sizeof(int32) * (n + 1), MCXT_ALLOC_HUGE);
			m->next[i][n] = (int32) n;
		}
		else if (walks)
		{
			m->stops[i] = bits;
			bits += words;
		}
	}
}

/* The first stop from event from on of row i (kept), n if none. */
static int64
seq_stop_from(const SeqMatcher *m, int i, int64 from)
{
	int64		n = m->ev->n;
	const uint64 *bits = m->stops[i];
	int64		w;
	uint64		word;

	if (m->next[i] != NULL)
		return m->next[i][from];
	if (from >= n)
		return n;
	w = from / 64;
	word = bits[w] & (~UINT64CONST(0) << (from % 64));
	/* walks from one match to the next move forward: each word is read about once */
	while (word == 0)
	{
		if (++w > (n - 1) / 64)
			return n;
		word = bits[w];
	}
	return w * 64 + pg_rightmost_one_pos64(word);
}

void
seq_matcher_init(SeqMatcher *m, const SeqCompiled *c, const SeqEvents *ev, bool walks)
{
	int			k = c->pat.nactions;
	int64		n = ev->n;
	SeqPass		p;
	bool	   *col;
	char	   *scratch;
	uint64		work = 0;
	int64		cur;
	int			i;

	/* the per-action arrays, in one allocation: a group of a few events costs little else */
	scratch = palloc0((sizeof(int64) * 2 + sizeof(void *) * 2 + sizeof(bool) * 4) * (k + 1));
	p.run = (int64 *) scratch;
	p.last = p.run + (k + 1);
	m->next = (int32 **) (p.last + (k + 1));
	m->stops = (uint64 **) (m->next + (k + 1));
	m->empty_rest = (bool *) (m->stops + (k + 1));
	m->kept = m->empty_rest + (k + 1);
	p.prev = m->kept + (k + 1);
	col = p.prev + (k + 1);
	m->c = c;
	m->ev = ev;
	m->k = k;
	m->empty_rest[k] = true;
	for (i = k - 1; i >= 0; i--)
		m->empty_rest[i] = m->empty_rest[i + 1] &&
			seq_action_matches_empty(&c->pat.actions[i], c->limits[i]);
	seq_alloc_stops(m, walks);
	memcpy(p.prev, m->empty_rest, sizeof(bool) * (k + 1));
	for (i = 0; i <= k; i++)
	{
		p.run[i] = n;
		p.last[i] = -1;
	}
	for (cur = n - 1; cur >= 0; cur--)
	{
		bool	   *swap;

		for (i = k; i >= 0; i--)
		{
			col[i] = i == k || seq_matches_at(m, &p, i, cur);
			if (!m->kept[i])
				continue;
			if (col[i])
			{
				p.run[i] = cur;
				if (p.last[i] < 0)
					p.last[i] = cur;
				if (m->stops[i] != NULL)
					m->stops[i][cur / 64] |= UINT64CONST(1) << (cur % 64);
			}
			if (m->next[i] != NULL)
				m->next[i][cur] = (int32) p.run[i];
		}
		swap = p.prev;
		p.prev = col;
		col = swap;
		fn_check_for_interrupts_after(&work, k);
	}
	m->first_ok = p.prev[0];
}

/* States reached from the set s without an event: past each .* */
static inline uint64
seq_close(uint64 s, uint64 star)
{
	uint64		prev;

	do
	{
		prev = s;
		s |= (s & star) << 1;
	} while (s != prev);
	return s;
}

bool
seq_match_forward(const SeqCompiled *c, const SeqEvents *ev, bool *matched)
{
	int			k = c->pat.nactions;
	uint64		star = 0;
	uint64		loop = 0;
	uint64		any = 0;
	uint64		by_slot[64] = {0};
	uint64		done;
	uint64		s;
	uint64		work = 0;
	int64		e;
	int			i;

	if (k >= 64 || ev->words > 1)
		return false;
	done = UINT64CONST(1) << k;
	for (i = 0; i < k; i++)
	{
		const SeqAction *a = &c->pat.actions[i];

		if (a->kind == SEQ_TIME)
			return false;
		if (a->kind == SEQ_STAR)
		{
			/* state i + 1 is only reached through the star: it takes the star's events */
			star |= UINT64CONST(1) << i;
			loop |= UINT64CONST(1) << (i + 1);
		}
		else if (a->kind == SEQ_ANY)
			any |= UINT64CONST(1) << i;
		else
			by_slot[a->slot] |= UINT64CONST(1) << i;
	}
	s = seq_close(1, star);
	for (e = 0; e < ev->n && !(s & done); e++)
	{
		uint64		takes = any;
		uint64		slots = ev->words > 0 ? ev->masks[e] : 0;

		while (slots != 0)
		{
			takes |= by_slot[pg_rightmost_one_pos64(slots)];
			slots &= slots - 1;
		}
		s = seq_close(((s & takes) << 1) | (s & loop), star);
		fn_check_for_interrupts_after(&work, k);
	}
	*matched = (s & done) != 0;
	return true;
}

bool
seq_matches(const SeqMatcher *m)
{
	/* ClickHouse's check at the end: a pattern of such actions only matches even when the search fails */
	return m->first_ok || m->empty_rest[0];
}

/* Where time condition i, at event cur on the walk, stops. */
static int64
seq_time_stop(const SeqMatcher *m, int i, int64 cur)
{
	uint8		op = m->c->pat.actions[i].op;
	int64		target = 0;
	int64		from = cur;

	if (op != SEQ_LT && op != SEQ_LE && seq_target(m, i, cur, &target))
		from = seq_first_time(m->ev, cur, target, op == SEQ_GT);
	return seq_stop_from(m, i + 1, from);
}

bool
seq_first_match(const SeqMatcher *m, int64 start, int64 *end, int64 *positions)
{
	int64		n = m->ev->n;
	int64		cur = start;
	int			i;
	int			j = 0;

	if (start >= n || seq_stop_from(m, 1, start) >= n)
	{
		/* a pattern that may match nothing "matches" where the search failed, at the end */
		*end = n;
		return m->empty_rest[0];
	}
	for (i = 0; i < m->k && cur < n; i++)
	{
		const SeqAction *a = &m->c->pat.actions[i];

		if (a->kind == SEQ_EVENT && positions != NULL)
			positions[j++] = cur;
		if (a->kind == SEQ_EVENT || a->kind == SEQ_ANY)
			cur++;
		else if (a->kind == SEQ_STAR)
			cur = seq_stop_from(m, i + 1, cur);
		else
			cur = seq_time_stop(m, i, cur);
		Assert(cur <= n);
	}
	Assert(i == m->k || m->empty_rest[i]);
	*end = cur;
	return true;
}

int64
seq_count(const SeqMatcher *m)
{
	int64		n = m->ev->n;
	int64		pos = 0;
	int64		count = 0;
	int64		end;
	uint64		work = 0;

	while (pos < n && seq_first_match(m, pos, &end, NULL))
	{
		count++;
		/* a match that consumed nothing moves on by one event */
		pos = end == pos ? pos + 1 : end;
		fn_check_for_interrupts_after(&work, m->k);
	}
	return count;
}
