/*
 * funnel_value.c
 *		Layout operations of the funnel type: checking, copying, merging.
 */
#include "postgres.h"

#include "funnel_value.h"

#include "common/int.h"

static void funnel_corrupt(const char *detail) pg_attribute_noreturn();

static void
funnel_corrupt(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("funnel value is corrupt"),
			 errdetail("%s", detail)));
}

FunnelData *
funnel_get(Datum datum)
{
	FunnelData *f = (FunnelData *) PG_DETOAST_DATUM(datum);
	Size		size = VARSIZE(f);
	Size		slots_end;
	int64		total = 0;
	int			i;

	if (size < FUNNEL_HEADER_SIZE || f->version != FUNNEL_FORMAT_VERSION)
		fn_report_stored_version("funnel", size > offsetof(FunnelData, version) ? f->version : -1);
	if (f->nslots == 0 ? f->first != 0 :
		f->first < FUNNEL_MIN_POSITION || f->nslots > FUNNEL_MAX_POSITION - f->first + 1)
		funnel_corrupt("Its positions are outside " FN_STR(FUNNEL_MIN_POSITION) " to " FN_STR(FUNNEL_MAX_POSITION) ".");
	slots_end = FUNNEL_HEADER_SIZE + (Size) f->nslots * sizeof(FunnelSlot);
	if (size < slots_end || size - slots_end < f->name_used ||
		(f->reserved != 0 && f->reserved != FUNNEL_STATE_MARK))
		funnel_corrupt("Its size does not match its contents.");
	for (i = 0; i < f->nslots; i++)
	{
		const FunnelSlot *s = &f->slots[i];

		if (s->stopped < 0 || pg_add_s64_overflow(total, s->stopped, &total))
			funnel_corrupt("A count is negative or the total is out of range.");
		if (s->name_len > FUNNEL_MAX_NAME || s->name_off > f->name_used ||
			s->name_len > f->name_used - s->name_off)
			funnel_corrupt("A stage name lies outside the value.");
		if (s->name_len > 0 && s->stopped == 0)
			funnel_corrupt("A stage that counts no client has a name.");
	}
	if (f->nslots > 0 && (f->slots[0].stopped == 0 || f->slots[f->nslots - 1].stopped == 0))
		funnel_corrupt("Its first or last position counts no client.");
	return f;
}

void
funnel_count_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("funnel count out of range"),
			 errdetail("The total count of a funnel must fit in a 64-bit integer.")));
}

int64
funnel_total(const FunnelData *f)
{
	int64		total = 0;
	int			i;

	for (i = 0; i < f->nslots; i++)
		if (pg_add_s64_overflow(total, f->slots[i].stopped, &total))
			funnel_count_overflow();
	return total;
}

FunnelData *
funnel_alloc(int first, int nslots, Size name_cap)
{
	Size		size = FUNNEL_HEADER_SIZE + (Size) nslots * sizeof(FunnelSlot) + name_cap;
	FunnelData *f = (FunnelData *) palloc0(size);

	SET_VARSIZE(f, size);
	f->version = FUNNEL_FORMAT_VERSION;
	f->first = (uint8) first;
	f->nslots = (uint16) nslots;
	return f;
}

FunnelData *
funnel_from_table(const FunnelTable *table)
{
	int			first = 0;
	int			last = 0;
	Size		names = 0;
	FunnelData *f;
	int			p;

	for (p = FUNNEL_MIN_POSITION; p <= FUNNEL_MAX_POSITION; p++)
	{
		if (table->stopped[p] == 0)
			continue;
		if (first == 0)
			first = p;
		last = p;
		names += table->name_len[p];
	}
	f = funnel_alloc(first, first == 0 ? 0 : last - first + 1, names);
	for (p = first; first != 0 && p <= last; p++)
	{
		FunnelSlot *s = &f->slots[p - first];

		s->stopped = table->stopped[p];
		if (table->name_len[p] > 0)
		{
			memcpy(funnel_names(f) + f->name_used, table->name[p], table->name_len[p]);
			s->name_off = f->name_used;
			s->name_len = (uint32) table->name_len[p];
			f->name_used += s->name_len;
		}
	}
	return f;
}

int
funnel_entries(const FunnelData *f, FunnelEntry *entries)
{
	int			n = 0;
	int			i;

	for (i = 0; i < f->nslots; i++)
	{
		const FunnelSlot *s = &f->slots[i];

		if (s->stopped == 0)
			continue;
		entries[n].position = f->first + i;
		entries[n].stopped = s->stopped;
		entries[n].name = funnel_names(f) + s->name_off;
		entries[n].name_len = s->name_len;
		n++;
	}
	return n;
}

static Size
funnel_live_names(const FunnelData *f)
{
	Size		live = 0;
	int			i;

	for (i = 0; i < f->nslots; i++)
		live += f->slots[i].name_len;
	return live;
}

FunnelData *
funnel_copy(const FunnelData *f, int first, int last, Size name_free)
{
	const char *names = funnel_names(f);
	FunnelData *copy;
	char	   *copy_names;
	int			i;

	if (f->nslots > 0)
	{
		if (first == 0 || f->first < first)
			first = f->first;
		if (last == 0 || funnel_last(f) > last)
			last = funnel_last(f);
	}
	copy = funnel_alloc(first, first == 0 ? 0 : last - first + 1,
						funnel_live_names(f) + name_free);
	copy_names = funnel_names(copy);
	for (i = 0; i < f->nslots; i++)
	{
		const FunnelSlot *s = &f->slots[i];
		FunnelSlot *d = &copy->slots[f->first + i - first];

		d->stopped = s->stopped;
		if (s->name_len > 0)
		{
			memcpy(copy_names + copy->name_used, names + s->name_off, s->name_len);
			d->name_off = copy->name_used;
			d->name_len = s->name_len;
			copy->name_used += s->name_len;
		}
	}
	return copy;
}

FunnelData *
funnel_canonical(const FunnelData *f)
{
	return funnel_copy(f, 0, 0, 0);
}

/*
 * Free name space given to a writable copy: what is needed now plus as much
 * as is live, so that repeated growth copies amortize to a constant per
 * byte while the value stays within a small multiple of its live size.
 */
static Size
growth_room(const FunnelData *f, Size needed)
{
	return needed + funnel_live_names(f) + 64;
}

FunnelData *
funnel_offer_name(FunnelData *f, int position, const char *name, Size name_len)
{
	FunnelSlot *s = &f->slots[position - f->first];

	if (!fn_name_wins(name, name_len, funnel_names(f) + s->name_off, s->name_len))
		return f;
	if (name_len <= s->name_len)
	{
		/* a shorter (or equal) name fits where the old one was */
		memcpy(funnel_names(f) + s->name_off, name, name_len);
		s->name_len = (uint32) name_len;
		return f;
	}
	if (funnel_name_free(f) < name_len)
	{
		f = funnel_copy(f, 0, 0, growth_room(f, name_len));
		s = &f->slots[position - f->first];
	}
	memcpy(funnel_names(f) + f->name_used, name, name_len);
	s->name_off = f->name_used;
	s->name_len = (uint32) name_len;
	f->name_used += (uint32) name_len;
	return f;
}

FunnelData *
funnel_merge_into(FunnelData *dst, const FunnelData *src)
{
	const char *src_names = funnel_names(src);
	Size		needed;
	int			i;

	if (src->nslots == 0)
		return dst;
	needed = funnel_live_names(src);
	if (dst->nslots == 0 || src->first < dst->first || funnel_last(src) > funnel_last(dst) ||
		funnel_name_free(dst) < needed)
		dst = funnel_copy(dst, src->first, funnel_last(src), growth_room(dst, needed));
	for (i = 0; i < src->nslots; i++)
	{
		const FunnelSlot *s = &src->slots[i];
		int			position = src->first + i;
		FunnelSlot *d = &dst->slots[position - dst->first];

		if (s->stopped == 0)
			continue;
		if (pg_add_s64_overflow(d->stopped, s->stopped, &d->stopped))
			funnel_count_overflow();
		if (s->name_len > 0)
			dst = funnel_offer_name(dst, position, src_names + s->name_off, s->name_len);
	}
	(void) funnel_total(dst);
	return dst;
}
