/*
 * chain.c
 *		fmgr glue of the contact_chain type: I/O, accessors, casts to and
 *		from text[], concatenation.
 */
#include "postgres.h"

#include "chain.h"

#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(contact_chain_in);
PG_FUNCTION_INFO_V1(contact_chain_out);
PG_FUNCTION_INFO_V1(contact_chain_recv);
PG_FUNCTION_INFO_V1(contact_chain_send);
PG_FUNCTION_INFO_V1(contact_chain_from_array);
PG_FUNCTION_INFO_V1(chain_kinds);
PG_FUNCTION_INFO_V1(chain_length);
PG_FUNCTION_INFO_V1(contact_chain_concat);

/* bytes of the shortest kind in the binary form: int32 length, one byte */
#define CHAIN_BINARY_MIN_KIND (4 + 1)

void
chain_open_value(const struct varlena *value, ChainReader *reader)
{
	const uint8 *body = (const uint8 *) VARDATA_ANY(value);
	Size		len = VARSIZE_ANY_EXHDR(value);
	FnError		err;

	if (len < 1 || body[0] != CHAIN_FORMAT_VERSION)
		fn_report_stored_version("contact_chain", len > 0 ? body[0] : -1);
	if (chain_open(body, len, reader, &err) != FN_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored contact_chain value is corrupt"),
				 errdetail("%s", err.detail)));
}

/* A buffer that starts with room for the varlena header. */
static void
chain_buf_init(FnBuf *buf, size_t capacity)
{
	static const char header[VARHDRSZ] = {0};

	fnbuf_init(buf, VARHDRSZ + CHAIN_HEADER_BYTES + capacity);
	fnbuf_append(buf, header, VARHDRSZ);
}

void
chain_build_begin(FnBuf *buf, ChainWriter *w, size_t capacity)
{
	chain_buf_init(buf, capacity);
	chain_writer_begin(w, buf);
}

/* fn_alloc is palloc, so the buffer itself (MAXALIGNed) becomes the varlena. */
struct varlena *
chain_build_finish(FnBuf *buf, ChainWriter *w)
{
	struct varlena *result = (struct varlena *) buf->data;

	chain_writer_finish(w);
	SET_VARSIZE(result, buf->len);
	return result;
}

/* The error for a FnError of chain_writer_add, saved or raised (errsave). */
static void
chain_save_error(Node *escontext, const FnError *err, const char *kind, size_t len)
{
	if (err->status == FN_TOO_BIG)
		errsave(escontext,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("contact chain is too long"),
				 errdetail("%s", err->detail)));
	else if (err->status == FN_TOO_LONG)
		errsave(escontext,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("contact kind is too long: \"%s\"", pnstrdup(kind, len)),
				 errdetail("%s", err->detail)));
	else
		errsave(escontext,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid contact kind: \"%s\"", pnstrdup(kind, len)),
				 errdetail("%s", err->detail)));
}

void
chain_report_error(const FnError *err, const char *kind, size_t len)
{
	chain_save_error(NULL, err, kind, len);
	pg_unreachable();
}

void
chain_add_kind(ChainWriter *w, const char *kind, size_t len)
{
	FnError		err;

	if (chain_writer_add(w, kind, len, &err) != FN_OK)
		chain_report_error(&err, kind, len);
}

ChainKind *
chain_kinds_array(ChainReader reader)
{
	ChainKind  *kinds = palloc(sizeof(ChainKind) * Max(reader.left, 1));
	int			n = 0;

	while (chain_read(&reader, &kinds[n].data, &kinds[n].len))
		n++;
	return kinds;
}

Datum
contact_chain_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	size_t		len = strlen(str);
	FnBuf		buf;
	FnError		err;

	/*
	 * Input arrives in the server encoding; a backslash or quote is never a
	 * trail byte there, so checking the whole string covers every kind.
	 */
	if (!fn_verify_encoding(fcinfo->context, str, len))
		return (Datum) 0;
	chain_buf_init(&buf, len);
	if (chain_parse(str, len, &buf, &err) != FN_OK)
	{
		/* the input of an oversized chain is too long to quote */
		if (err.status == FN_TOO_BIG)
			chain_save_error(fcinfo->context, &err, NULL, 0);
		else
			fn_report_parse_error(fcinfo->context, &err, "contact_chain", str);
		return (Datum) 0;
	}
	SET_VARSIZE(buf.data, buf.len);
	PG_RETURN_POINTER(buf.data);
}

Datum
contact_chain_out(PG_FUNCTION_ARGS)
{
	struct varlena *value = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	ChainReader reader;
	FnBuf		buf;

	chain_open_value(value, &reader);
	fnbuf_init(&buf, VARSIZE_ANY_EXHDR(value) + 3 * reader.left + 1);
	chain_format(reader, &buf);
	PG_RETURN_CSTRING(buf.data);
}

static void
recv_fail(FnStatus status, const char *detail)
{
	FnError		err;

	fn_fail(&err, status, detail);
	fn_report_recv_error(&err, "contact_chain");
}

/*
 * Binary form: version byte, int4 count, then per kind an int4 byte length
 * and the kind as text in the client encoding.  Checked like text input:
 * every length against what is left before reading it, so a corrupt value
 * is 22P03 rather than a protocol error.
 */
Datum
contact_chain_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	int32		count;
	int32		i;
	FnBuf		buf;
	ChainWriter w;
	FnError		err;

	if (msg->len - msg->cursor < 1)
		recv_fail(FN_CORRUPT, "The binary contact_chain value is empty.");
	if (pq_getmsgbyte(msg) != CHAIN_FORMAT_VERSION)
		recv_fail(FN_CORRUPT, "The binary contact_chain format version is not supported.");
	if (msg->len - msg->cursor < 4)
		recv_fail(FN_CORRUPT, "The binary contact_chain count is truncated.");
	count = (int32) pq_getmsgint(msg, 4);
	if (count < 0)
		recv_fail(FN_CORRUPT, "The binary contact_chain count is negative.");
	if (count > CHAIN_MAX_KINDS)
		recv_fail(FN_TOO_BIG, CHAIN_KINDS_LIMIT);
	/* every kind takes at least its length and one byte: refuse a count the data cannot hold */
	if ((int64) count * CHAIN_BINARY_MIN_KIND > msg->len - msg->cursor)
		recv_fail(FN_CORRUPT, "The binary contact_chain value is shorter than its count.");

	chain_build_begin(&buf, &w, msg->len - msg->cursor);
	for (i = 0; i < count; i++)
	{
		int32		raw_len;
		int			len;
		char	   *kind;

		if (msg->len - msg->cursor < 4)
			recv_fail(FN_CORRUPT, "A binary contact kind length is truncated.");
		raw_len = (int32) pq_getmsgint(msg, 4);
		if (raw_len < 0 || raw_len > msg->len - msg->cursor)
			recv_fail(FN_CORRUPT, "A binary contact kind length is out of range.");
		kind = pq_getmsgtext(msg, raw_len, &len);
		if (chain_writer_add(&w, kind, len, &err) != FN_OK)
			fn_report_recv_error(&err, "contact_chain");
	}
	if (msg->cursor != msg->len)
		recv_fail(FN_CORRUPT, "The binary contact_chain value has trailing bytes.");
	PG_RETURN_POINTER(chain_build_finish(&buf, &w));
}

Datum
contact_chain_send(PG_FUNCTION_ARGS)
{
	ChainReader reader;
	StringInfoData msg;
	const char *kind;
	size_t		len;

	PG_GETARG_CHAIN(0, &reader);
	pq_begintypsend(&msg);
	pq_sendbyte(&msg, CHAIN_FORMAT_VERSION);
	pq_sendint32(&msg, reader.left);
	while (chain_read(&reader, &kind, &len))
	{
		char	   *converted = pg_server_to_client(kind, (int) len);
		int			converted_len = converted == kind ? (int) len : (int) strlen(converted);

		pq_sendint32(&msg, converted_len);
		pq_sendbytes(&msg, converted, converted_len);
		if (converted != kind)
			pfree(converted);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&msg));
}

/* contact_chain(text[]): a one-dimensional array without NULLs or empty strings */
Datum
contact_chain_from_array(PG_FUNCTION_ARGS)
{
	ArrayType  *array = PG_GETARG_ARRAYTYPE_P(0);
	int			nitems;
	Datum	   *items;
	bool	   *nulls;
	int			i;
	FnBuf		buf;
	ChainWriter w;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a contact chain array must be one-dimensional")));
	nitems = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
	if (nitems > CHAIN_MAX_KINDS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("contact chain is too long"),
				 errdetail(CHAIN_KINDS_LIMIT)));
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &items, &nulls, &nitems);
	chain_build_begin(&buf, &w, nitems * 16);
	for (i = 0; i < nitems; i++)
	{
		text	   *kind;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("a contact chain array must not contain NULL"),
					 errdetail("Element %d is NULL.", i + 1)));
		kind = DatumGetTextPP(items[i]);
		chain_add_kind(&w, VARDATA_ANY(kind), VARSIZE_ANY_EXHDR(kind));
	}
	PG_RETURN_POINTER(chain_build_finish(&buf, &w));
}

/* chain_kinds(c) and the cast to text[]: '{}' for the empty chain */
Datum
chain_kinds(PG_FUNCTION_ARGS)
{
	ChainReader reader;
	Datum	   *items;
	int			n = 0;
	const char *kind;
	size_t		len;

	PG_GETARG_CHAIN(0, &reader);
	if (reader.left == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(TEXTOID));
	items = palloc(sizeof(Datum) * reader.left);
	while (chain_read(&reader, &kind, &len))
		items[n++] = PointerGetDatum(cstring_to_text_with_len(kind, (int) len));
	PG_RETURN_ARRAYTYPE_P(construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT));
}

Datum
chain_length(PG_FUNCTION_ARGS)
{
	ChainReader reader;

	PG_GETARG_CHAIN(0, &reader);
	PG_RETURN_INT32((int32) reader.left);
}

Datum
contact_chain_concat(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	struct varlena *b = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));
	ChainReader ra;
	ChainReader rb;
	FnBuf		buf;
	ChainWriter w;
	const char *kind;
	size_t		len;

	chain_open_value(a, &ra);
	chain_open_value(b, &rb);
	chain_build_begin(&buf, &w, VARSIZE_ANY_EXHDR(a) + VARSIZE_ANY_EXHDR(b));
	while (chain_read(&ra, &kind, &len))
		chain_add_kind(&w, kind, len);
	while (chain_read(&rb, &kind, &len))
		chain_add_kind(&w, kind, len);
	PG_RETURN_POINTER(chain_build_finish(&buf, &w));
}
