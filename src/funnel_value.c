/*
 * funnel_value.c
 *		The funnel type: layout operations (checking, copying, merging) and
 *		fmgr glue (text and binary I/O, cast to jsonb).
 */
#include "postgres.h"

#include "funnel_value.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/json.h"

PG_FUNCTION_INFO_V1(funnel_in);
PG_FUNCTION_INFO_V1(funnel_out);
PG_FUNCTION_INFO_V1(funnel_recv);
PG_FUNCTION_INFO_V1(funnel_send);
PG_FUNCTION_INFO_V1(funnel_to_jsonb);

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

Datum
funnel_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	size_t		len = strlen(str);
	FunnelTable *table = palloc(sizeof(FunnelTable));
	FnError		err;

	/*
	 * Input arrives in the server encoding, where a backslash or quote is
	 * never a trail byte: checking the whole string covers every name.
	 */
	if (!fn_verify_encoding(fcinfo->context, str, len))
		return (Datum) 0;
	if (funnel_parse(str, len, table, &err) != FN_OK)
	{
		fn_report_parse_error(fcinfo->context, &err, "funnel", str);
		return (Datum) 0;
	}
	PG_RETURN_POINTER(funnel_from_table(table));
}

Datum
funnel_out(PG_FUNCTION_ARGS)
{
	FunnelData *f = PG_GETARG_FUNNEL(0);
	FunnelEntry entries[FUNNEL_MAX_POSITION];
	int			n = funnel_entries(f, entries);
	FnBuf		buf;

	/* counts and separators rarely exceed 24 bytes a stage */
	fnbuf_init(&buf, 8 + n * 24 + f->name_used);
	funnel_format(&buf, entries, n);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: version byte, int32 number of stages, then per stage its
 * position byte, int64 count and int32-counted name in the client
 * encoding.  Checked exactly like text input.
 */
Datum
funnel_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	FunnelTable *table = palloc(sizeof(FunnelTable));
	FnError		err;
	int			n;
	int			i;

	if (pq_getmsgbyte(buf) != FUNNEL_FORMAT_VERSION)
	{
		fn_fail(&err, FN_CORRUPT, "The binary funnel format version is not supported.");
		fn_report_recv_error(&err, "funnel");
	}
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > FUNNEL_MAX_POSITION)
	{
		fn_fail(&err, FN_TOO_BIG, "A funnel has at most " FN_STR(FUNNEL_MAX_POSITION) " stages.");
		fn_report_recv_error(&err, "funnel");
	}
	funnel_table_init(table);
	for (i = 0; i < n; i++)
	{
		int			position = pq_getmsgbyte(buf);
		int64		stopped = pq_getmsgint64(buf);
		int			raw_len = pq_getmsgint(buf, 4);
		char	   *name = NULL;
		int			name_len = 0;

		if (raw_len < 0 || raw_len > buf->len - buf->cursor)
		{
			fn_fail(&err, FN_CORRUPT, "A stage name runs past the end of the value.");
			fn_report_recv_error(&err, "funnel");
		}
		if (raw_len > 0)
			name = pq_getmsgtext(buf, raw_len, &name_len);
		if (funnel_table_add(table, position, stopped, name, name_len, &err) != FN_OK)
			fn_report_recv_error(&err, "funnel");
	}
	PG_RETURN_POINTER(funnel_from_table(table));
}

Datum
funnel_send(PG_FUNCTION_ARGS)
{
	FunnelData *f = PG_GETARG_FUNNEL(0);
	FunnelEntry entries[FUNNEL_MAX_POSITION];
	int			n = funnel_entries(f, entries);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, FUNNEL_FORMAT_VERSION);
	pq_sendint32(&buf, n);
	for (i = 0; i < n; i++)
	{
		const char *name = entries[i].name;
		int			len = (int) entries[i].name_len;

		pq_sendbyte(&buf, (uint8) entries[i].position);
		pq_sendint64(&buf, entries[i].stopped);
		if (len > 0)
		{
			char	   *converted = pg_server_to_client(name, len);

			if (converted != name)
			{
				name = converted;
				len = strlen(converted);
			}
		}
		pq_sendint32(&buf, len);
		pq_sendbytes(&buf, name, len);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * {"clients": N, "stages": [{"position": 1, "name": "lead", "stopped": 3,
 * "reached": 10}, ...]}: the counted positions; "reached" counts the clients
 * at or beyond the position, "name" is null for a stage without one.
 */
Datum
funnel_to_jsonb(PG_FUNCTION_ARGS)
{
	FunnelData *f = PG_GETARG_FUNNEL(0);
	FunnelEntry entries[FUNNEL_MAX_POSITION];
	int			n = funnel_entries(f, entries);
	int64		reached = funnel_total(f);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"clients\": " INT64_FORMAT ", \"stages\": [", reached);
	for (i = 0; i < n; i++)
	{
		appendStringInfo(&buf, "%s{\"position\": %d, \"name\": ", i > 0 ? ", " : "",
						 entries[i].position);
		if (entries[i].name_len > 0)
			escape_json(&buf, pnstrdup(entries[i].name, entries[i].name_len));
		else
			appendStringInfoString(&buf, "null");
		appendStringInfo(&buf, ", \"stopped\": " INT64_FORMAT ", \"reached\": " INT64_FORMAT "}",
						 entries[i].stopped, reached);
		reached -= entries[i].stopped;
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}
