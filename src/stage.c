/*
 * stage.c
 *		fmgr glue of the stage type: I/O, constructors, accessors, casts.
 */
#include "postgres.h"

#include "stage.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(stage_in);
PG_FUNCTION_INFO_V1(stage_out);
PG_FUNCTION_INFO_V1(stage_recv);
PG_FUNCTION_INFO_V1(stage_send);
PG_FUNCTION_INFO_V1(stage_construct);
PG_FUNCTION_INFO_V1(stage_from_int);
PG_FUNCTION_INFO_V1(stage_position);
PG_FUNCTION_INFO_V1(stage_name);

void
stage_view(const struct varlena *value, StageView *view)
{
	const uint8 *data = (const uint8 *) VARDATA_ANY(value);
	int			len = VARSIZE_ANY_EXHDR(value);

	if (len < 1 || data[0] != STAGE_FORMAT_VERSION)
		fn_report_stored_version("stage", len > 0 ? data[0] : -1);
	/* stage_out formats into a buffer sized for the documented limits */
	if (len < STAGE_HEADER_BYTES || data[1] < STAGE_MIN_POSITION ||
		len - STAGE_HEADER_BYTES > STAGE_MAX_NAME)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored stage value is corrupt"),
				 errdetail("Its position is missing or 0, or its name is longer than " FN_STR(STAGE_MAX_NAME) " bytes.")));
	view->position = data[1];
	view->name = (const char *) data + STAGE_HEADER_BYTES;
	view->name_len = len - STAGE_HEADER_BYTES;
}

struct varlena *
stage_make(int position, const char *name, int name_len)
{
	Size		size = VARHDRSZ + STAGE_HEADER_BYTES + name_len;
	struct varlena *result = (struct varlena *) palloc(size);
	uint8	   *data = (uint8 *) VARDATA(result);

	SET_VARSIZE(result, size);
	data[0] = STAGE_FORMAT_VERSION;
	data[1] = (uint8) position;
	if (name_len > 0)
		memcpy(data + STAGE_HEADER_BYTES, name, name_len);
	return result;
}

Datum
stage_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Node	   *escontext = fcinfo->context;
	StageText	parsed;
	FnError		err;

	if (stage_parse(str, &parsed, &err) != FN_OK)
	{
		fn_report_parse_error(escontext, &err, "stage", str);
		return (Datum) 0;
	}
	/* input functions get text in the server encoding; check it is valid */
	if (!fn_verify_encoding(escontext, parsed.name, parsed.name_len))
		return (Datum) 0;
	PG_RETURN_POINTER(stage_make(parsed.position, parsed.name, (int) parsed.name_len));
}

Datum
stage_out(PG_FUNCTION_ARGS)
{
	StageView	view;
	char	   *buf = palloc(STAGE_TEXT_MAX);

	PG_GETARG_STAGE_VIEW(0, &view);
	stage_format(view.position, view.name, view.name_len, buf);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary form: version byte, position byte, name as text in the client
 * encoding.  Checked exactly like text input.
 */
Datum
stage_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	int			position;
	char	   *name;
	int			name_len;
	FnError		err;

	if (version != STAGE_FORMAT_VERSION)
	{
		fn_fail(&err, FN_CORRUPT, "The binary stage format version is not supported.");
		fn_report_recv_error(&err, "stage");
	}
	position = pq_getmsgbyte(buf);
	if (position < STAGE_MIN_POSITION || position > STAGE_MAX_POSITION)
	{
		fn_fail(&err, FN_RANGE, "A stage position is " STAGE_POSITION_RANGE ".");
		fn_report_recv_error(&err, "stage");
	}
	name = pq_getmsgtext(buf, buf->len - buf->cursor, &name_len);
	if (name_len > STAGE_MAX_NAME)
	{
		fn_fail(&err, FN_TOO_LONG, STAGE_NAME_LIMIT);
		fn_report_recv_error(&err, "stage");
	}
	PG_RETURN_POINTER(stage_make(position, name, name_len));
}

Datum
stage_send(PG_FUNCTION_ARGS)
{
	StageView	view;
	StringInfoData buf;

	PG_GETARG_STAGE_VIEW(0, &view);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, STAGE_FORMAT_VERSION);
	pq_sendbyte(&buf, (uint8) view.position);
	pq_sendtext(&buf, view.name, view.name_len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
check_position(int64 position)
{
	if (position < STAGE_MIN_POSITION || position > STAGE_MAX_POSITION)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("stage position %lld is out of range", (long long) position),
				 errdetail("A stage position is " STAGE_POSITION_RANGE ".")));
}

/* stage(position int, name text): a NULL or empty name gives a stage without a name */
Datum
stage_construct(PG_FUNCTION_ARGS)
{
	int32		position;
	text	   *name;
	int			name_len = 0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	position = PG_GETARG_INT32(0);
	check_position(position);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(stage_make(position, NULL, 0));
	name = PG_GETARG_TEXT_PP(1);
	name_len = VARSIZE_ANY_EXHDR(name);
	if (name_len > STAGE_MAX_NAME)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("stage name is too long: \"%s\"", text_to_cstring(name)),
				 errdetail(STAGE_NAME_LIMIT)));
	PG_RETURN_POINTER(stage_make(position, VARDATA_ANY(name), name_len));
}

Datum
stage_from_int(PG_FUNCTION_ARGS)
{
	int32		position = PG_GETARG_INT32(0);

	check_position(position);
	PG_RETURN_POINTER(stage_make(position, NULL, 0));
}

Datum
stage_position(PG_FUNCTION_ARGS)
{
	StageView	view;

	PG_GETARG_STAGE_VIEW(0, &view);
	PG_RETURN_INT32(view.position);
}

/* The name, or NULL for a stage without one. */
Datum
stage_name(PG_FUNCTION_ARGS)
{
	StageView	view;

	PG_GETARG_STAGE_VIEW(0, &view);
	if (view.name_len == 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(view.name, view.name_len));
}
