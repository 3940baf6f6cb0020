/*
 * velocity_pack.c
 *		Write and read the packed (stored) form of velocity without server
 *		dependencies.
 */
#include "velocity_pack.h"

#include <string.h>

static size_t
varint_size(uint64_t v)
{
	size_t		n = 1;

	while (v >= 0x80)
	{
		v >>= 7;
		n++;
	}
	return n;
}

static uint8_t *
put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80)
	{
		*p++ = (uint8_t) (v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t) v;
	return p;
}

size_t
vel_pack_size(const VelData *data)
{
	size_t		size = 3;		/* version, form, number of stages */
	int			s;

	for (s = 0; s < data->nstages; s++)
	{
		const VelStageData *st = &data->stages[s];
		int			prev = 0;
		int			i;

		size += 2 + st->name_len + varint_size(st->exits) + varint_size(st->open);
		if (st->exits == 0)
			continue;
		size += varint_size(st->sum.hi) + varint_size(st->sum.lo) +
			varint_size(st->min) + varint_size(st->max - st->min) +
			varint_size(st->nbuckets);
		for (i = 0; i < st->nbuckets; i++)
		{
			size += varint_size(st->bucket[i] - prev) + varint_size(st->count[i]);
			prev = st->bucket[i];
		}
	}
	return size;
}

void
vel_pack(const VelData *data, uint8_t *out)
{
	uint8_t    *p = out;
	int			s;

	*p++ = VEL_FORMAT_VERSION;
	*p++ = VEL_FORM_PACKED;
	*p++ = (uint8_t) data->nstages;
	for (s = 0; s < data->nstages; s++)
	{
		const VelStageData *st = &data->stages[s];
		int			prev = 0;
		int			i;

		*p++ = (uint8_t) st->position;
		*p++ = (uint8_t) st->name_len;
		if (st->name_len > 0)
			memcpy(p, st->name, st->name_len);
		p += st->name_len;
		p = put_varint(p, st->exits);
		p = put_varint(p, st->open);
		if (st->exits == 0)
			continue;
		p = put_varint(p, st->sum.hi);
		p = put_varint(p, st->sum.lo);
		p = put_varint(p, st->min);
		p = put_varint(p, st->max - st->min);
		p = put_varint(p, st->nbuckets);
		for (i = 0; i < st->nbuckets; i++)
		{
			p = put_varint(p, st->bucket[i] - prev);
			p = put_varint(p, st->count[i]);
			prev = st->bucket[i];
		}
	}
}

typedef struct Reader
{
	const uint8_t *p;
	const uint8_t *end;
	bool		ok;
} Reader;

static uint8_t
get_byte(Reader *r)
{
	if (r->p >= r->end)
	{
		r->ok = false;
		return 0;
	}
	return *r->p++;
}

static uint64_t
get_varint(Reader *r)
{
	uint64_t	v = 0;
	int			shift = 0;

	for (;;)
	{
		uint8_t		b;

		if (r->p >= r->end || shift > 63)
		{
			r->ok = false;
			return 0;
		}
		b = *r->p++;
		/* the tenth byte may only hold the top bit of a 64-bit value */
		if (shift == 63 && b > 1)
		{
			r->ok = false;
			return 0;
		}
		v |= (uint64_t) (b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
		shift += 7;
	}
}

/* a varint that must fit a non-negative int64 */
static int64_t
get_count(Reader *r)
{
	uint64_t	v = get_varint(r);

	if (v > (uint64_t) INT64_MAX)
	{
		r->ok = false;
		return 0;
	}
	return (int64_t) v;
}

FnStatus
vel_unpack(const uint8_t *in, size_t len, VelData *out, FnError *err)
{
	Reader		r = {in, in + len, true};
	int			s;

	if (get_byte(&r) != VEL_FORMAT_VERSION || !r.ok)
		return fn_fail(err, FN_CORRUPT, "The velocity format version is not supported.");
	if (get_byte(&r) != VEL_FORM_PACKED || !r.ok)
		return fn_fail(err, FN_CORRUPT, "The velocity is not in its packed form.");
	out->nstages = get_byte(&r);
	out->stages = fn_alloc((out->nstages > 0 ? out->nstages : 1) * sizeof(VelStageData));
	for (s = 0; s < out->nstages && r.ok; s++)
	{
		VelStageData *st = &out->stages[s];
		uint64_t	spread;
		uint64_t	nbuckets;
		int			prev = 0;
		int			i;

		memset(st, 0, sizeof(*st));
		st->position = get_byte(&r);
		st->name_len = get_byte(&r);
		st->name = (const char *) r.p;
		if (!r.ok || (size_t) (r.end - r.p) < st->name_len)
			break;
		r.p += st->name_len;
		st->exits = get_count(&r);
		st->open = get_count(&r);
		if (st->exits == 0 || !r.ok)
			continue;
		st->sum.hi = get_varint(&r);
		st->sum.lo = get_varint(&r);
		st->min = get_count(&r);
		spread = get_varint(&r);
		if (spread > (uint64_t) (INT64_MAX - st->min))
			r.ok = false;
		else
			st->max = st->min + (int64_t) spread;
		nbuckets = get_varint(&r);
		/* each bucket takes at least two bytes: bound the allocation by the input */
		if (!r.ok || nbuckets < 1 || nbuckets > VEL_NBUCKETS ||
			nbuckets > (uint64_t) (r.end - r.p) / 2)
		{
			r.ok = false;
			break;
		}
		st->nbuckets = (int) nbuckets;
		st->bucket = fn_alloc(nbuckets * sizeof(uint16_t));
		st->count = fn_alloc(nbuckets * sizeof(int64_t));
		for (i = 0; i < st->nbuckets && r.ok; i++)
		{
			uint64_t	delta = get_varint(&r);

			if (delta >= (uint64_t) VEL_NBUCKETS - prev || (i > 0 && delta == 0))
				r.ok = false;
			prev += (int) delta;
			st->bucket[i] = (uint16_t) prev;
			st->count[i] = get_count(&r);
		}
	}
	if (!r.ok || r.p != r.end)
		return fn_fail(err, FN_CORRUPT, "The stored velocity is truncated or malformed.");
	return vel_check(out, err);
}
