/*
 * velocity.c
 *		fmgr glue of the velocity type: text and binary I/O, and reading any
 *		stored form into the neutral one, where the errors of a damaged
 *		value, packed or working (velocity_work.c), are reported.
 */
#include "postgres.h"

#include "velocity.h"
#include "velocity_work.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "textbuf.h"
#include "velocity_text.h"

PG_FUNCTION_INFO_V1(velocity_in);
PG_FUNCTION_INFO_V1(velocity_out);
PG_FUNCTION_INFO_V1(velocity_recv);
PG_FUNCTION_INFO_V1(velocity_send);

/* bytes of a bucket in the binary form: int32 number, int64 count */
#define VEL_BINARY_BUCKET (4 + 8)

static void vel_report_corrupt(const char *detail) pg_attribute_noreturn();

/* Raise the error for a damaged velocity, with its detail. */
static void
vel_report_corrupt(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("velocity value is corrupt"),
			 errdetail("%s", detail),
			 errhint("The value was written by a newer release of funnel, or is damaged.")));
}

void
vel_decode(struct varlena *value, VelData *out)
{
	const uint8 *data = (const uint8 *) VARDATA_ANY(value);
	Size		len = VARSIZE_ANY_EXHDR(value);
	FnError		err;

	if (len < 1 || data[0] != VEL_FORMAT_VERSION)
		fn_report_stored_version("velocity", len > 0 ? data[0] : -1);
	if (len < 2)
		vel_report_corrupt("The velocity is truncated.");
	if (data[1] == VEL_FORM_WORKING)
	{
		const VelWork *work = (const VelWork *) value;

		/* the record layout needs a 4-byte header and aligned memory */
		if (VARATT_IS_SHORT(value) || (uintptr_t) value % MAXIMUM_ALIGNOF != 0)
		{
			VelWork    *copy = palloc(VARHDRSZ + len);

			SET_VARSIZE(copy, VARHDRSZ + len);
			memcpy((char *) copy + VARHDRSZ, data, len);
			work = copy;
		}
		if (vel_work_check(work, &err) != FN_OK)
			vel_report_corrupt(err.detail);
		vel_work_data(work, out);
		if (vel_check(out, &err) != FN_OK)
			vel_report_corrupt(err.detail);
		return;
	}
	if (vel_unpack(data, len, out, &err) != FN_OK)
		vel_report_corrupt(err.detail);
}

struct varlena *
vel_encode(const VelData *data)
{
	Size		size = VARHDRSZ + vel_pack_size(data);
	struct varlena *result = palloc(size);

	SET_VARSIZE(result, size);
	vel_pack(data, (uint8_t *) VARDATA(result));
	return result;
}

Datum
velocity_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	VelData		data;
	FnError		err;
	int			s;

	if (vel_parse(str, strlen(str), &data, &err) != FN_OK)
	{
		fn_report_parse_error(fcinfo->context, &err, "velocity", str);
		return (Datum) 0;
	}
	for (s = 0; s < data.nstages; s++)
		if (!fn_verify_encoding(fcinfo->context, data.stages[s].name, data.stages[s].name_len))
			return (Datum) 0;
	PG_RETURN_POINTER(vel_encode(&data));
}

Datum
velocity_out(PG_FUNCTION_ARGS)
{
	VelData		data;
	FnBuf		buf;

	vel_decode(PG_GETARG_VELOCITY(0), &data);
	fnbuf_init(&buf, 64 + 32 * data.nstages);
	vel_format(&data, &buf);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: version byte, number of stages byte, then per stage its
 * position byte, name length (int4) and name in the client encoding, exits
 * and open (int8) and, when there are exits, the sum's high and low halves,
 * shortest and longest (int8), the number of buckets (int4) and each
 * bucket's number (int4) and count (int8).  Checked like text input.
 */
Datum
velocity_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	VelData		data;
	FnError		err;
	int			s;

	if (pq_getmsgbyte(buf) != VEL_FORMAT_VERSION)
	{
		fn_fail(&err, FN_CORRUPT, "The binary velocity format version is not supported.");
		fn_report_recv_error(&err, "velocity");
	}
	data.nstages = pq_getmsgbyte(buf);
	data.stages = palloc0(Max(data.nstages, 1) * sizeof(VelStageData));
	for (s = 0; s < data.nstages; s++)
	{
		VelStageData *st = &data.stages[s];
		int			name_len;
		int			i;

		st->position = pq_getmsgbyte(buf);
		name_len = pq_getmsgint(buf, 4);
		if (name_len < 0 || name_len > buf->len - buf->cursor)
		{
			fn_fail(&err, FN_CORRUPT, "A stage name length is out of range.");
			fn_report_recv_error(&err, "velocity");
		}
		st->name = pq_getmsgtext(buf, name_len, &name_len);
		st->name_len = name_len;
		st->exits = pq_getmsgint64(buf);
		st->open = pq_getmsgint64(buf);
		if (st->exits <= 0)
			continue;
		st->sum.hi = (uint64) pq_getmsgint64(buf);
		st->sum.lo = (uint64) pq_getmsgint64(buf);
		st->min = pq_getmsgint64(buf);
		st->max = pq_getmsgint64(buf);
		st->nbuckets = pq_getmsgint(buf, 4);
		/* bound the allocation by the message */
		if (st->nbuckets < 1 || st->nbuckets > VEL_NBUCKETS ||
			st->nbuckets > (buf->len - buf->cursor) / VEL_BINARY_BUCKET)
		{
			fn_fail(&err, FN_CORRUPT, "The number of duration buckets is out of range.");
			fn_report_recv_error(&err, "velocity");
		}
		st->bucket = palloc(st->nbuckets * sizeof(uint16_t));
		st->count = palloc(st->nbuckets * sizeof(int64_t));
		for (i = 0; i < st->nbuckets; i++)
		{
			int32		bucket = pq_getmsgint(buf, 4);

			if (bucket < 0 || bucket >= VEL_NBUCKETS)
			{
				fn_fail(&err, FN_CORRUPT, "A duration bucket is out of range.");
				fn_report_recv_error(&err, "velocity");
			}
			st->bucket[i] = (uint16_t) bucket;
			st->count[i] = pq_getmsgint64(buf);
		}
	}
	if (vel_check(&data, &err) != FN_OK)
		fn_report_recv_error(&err, "velocity");
	PG_RETURN_POINTER(vel_encode(&data));
}

Datum
velocity_send(PG_FUNCTION_ARGS)
{
	VelData		data;
	StringInfoData buf;
	int			s;

	vel_decode(PG_GETARG_VELOCITY(0), &data);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, VEL_FORMAT_VERSION);
	pq_sendbyte(&buf, (uint8) data.nstages);
	for (s = 0; s < data.nstages; s++)
	{
		const VelStageData *st = &data.stages[s];
		char	   *name = pnstrdup(st->name, st->name_len);
		char	   *converted = pg_server_to_client(name, (int) st->name_len);
		int			i;

		pq_sendbyte(&buf, (uint8) st->position);
		pq_sendint32(&buf, (int32) strlen(converted));
		pq_sendbytes(&buf, converted, (int) strlen(converted));
		pq_sendint64(&buf, st->exits);
		pq_sendint64(&buf, st->open);
		if (st->exits == 0)
			continue;
		pq_sendint64(&buf, (int64) st->sum.hi);
		pq_sendint64(&buf, (int64) st->sum.lo);
		pq_sendint64(&buf, st->min);
		pq_sendint64(&buf, st->max);
		pq_sendint32(&buf, st->nbuckets);
		for (i = 0; i < st->nbuckets; i++)
		{
			pq_sendint32(&buf, st->bucket[i]);
			pq_sendint64(&buf, st->count[i]);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
