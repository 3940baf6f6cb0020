/*
 * funnel_value_io.c
 *		fmgr glue of the funnel type: text and binary I/O, cast to jsonb.
 */
#include "postgres.h"

#include "funnel_value.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/json.h"

PG_FUNCTION_INFO_V1(funnel_in);
PG_FUNCTION_INFO_V1(funnel_out);
PG_FUNCTION_INFO_V1(funnel_recv);
PG_FUNCTION_INFO_V1(funnel_send);
PG_FUNCTION_INFO_V1(funnel_to_jsonb);

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
