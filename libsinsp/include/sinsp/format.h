/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
 * Fields, output formatting and batch extraction.
 *
 * - Fields: the built-in field classes (evt, process/thread, user, group, fd, fs.path, fdlist,
 *   container), listed like `sysdig -l`.
 * - Formatters: compile a format string once ("%evt.num %proc.name %fd.name", widths "%10proc.name",
 *   a leading '*' to print lines with missing fields as `<NA>`), then format events as text or as
 *   one flat JSON object per event.
 * - Extractors: extract a list of fields for a batch of events into typed columns (for fast
 *   consumers such as Python).
 */
#ifndef SINSP_FORMAT_H
#define SINSP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "sinsp/inspector.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The default line of current upstream (sysdig without -p). */
#define SINSP_DEFAULT_FORMAT "*%evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.type %evt.args"

/** Types of field values (sinsp_field_info.type). */
enum sinsp_field_type {
	SINSP_FIELD_INT64 = 0,	 /**< a signed integer */
	SINSP_FIELD_UINT64 = 1,	 /**< an unsigned integer */
	SINSP_FIELD_STRING = 2,	 /**< a string */
	SINSP_FIELD_BYTES = 3,	 /**< a byte buffer */
	SINSP_FIELD_BOOL = 4,	 /**< a boolean */
	SINSP_FIELD_IPADDR = 5,	 /**< an IP address */
	SINSP_FIELD_IPNET = 6,	 /**< an IP network */
	SINSP_FIELD_PORT = 7,	 /**< a port */
	SINSP_FIELD_ABSTIME = 8, /**< ns since the epoch */
	SINSP_FIELD_RELTIME = 9, /**< a duration in ns */
	SINSP_FIELD_DOUBLE = 10, /**< a floating-point number */
};

/** Flags of fields (sinsp_field_info.flags). */
enum sinsp_field_flags {
	SINSP_FIELD_ARG_ALLOWED = 1,  /**< takes an argument: proc.aname[2], proc.env[HOME] */
	SINSP_FIELD_ARG_REQUIRED = 2, /**< needs an argument: evt.arg.fd, evt.type.is.open */
	SINSP_FIELD_FILTER_ONLY = 4,  /**< only in filters (fd.ip, fd.port, fd.net) */
	SINSP_FIELD_PRINT_ONLY = 8,   /**< only in outputs (evt.outputtime) */
	SINSP_FIELD_DEPRECATED = 16,  /**< deprecated */
	SINSP_FIELD_LIST = 32,	      /**< may yield several values (proc.args, fd.types) */
};

/** One built-in field (sinsp_fields__get()). */
struct sinsp_field_info {
	size_t sz;	  /**< set by the caller to sizeof(struct sinsp_field_info) */
	const char *name; /**< "proc.name" */
	const char *cls;  /**< "evt", "process", "user", "group", "fd", "fs.path", "fdlist", "container" */
	const char *desc; /**< the description `sysdig -l` prints */
	uint32_t type;	  /**< enum sinsp_field_type */
	uint32_t flags;	  /**< enum sinsp_field_flags */
};

/** Number of built-in fields. */
SINSP_API uint32_t sinsp_fields__count(void);
/** The i-th built-in field, i in [0, sinsp_fields__count()) (strings are static). 0 or -EINVAL. */
SINSP_API int sinsp_fields__get(uint32_t i, struct sinsp_field_info *info);
/**
 * Check a field reference ("proc.name", "proc.aname[2]", "evt.arg.fd"). 0, or -ENOENT/-EINVAL with
 * the message in sinsp_last_error(), e.g. "unknown field 'proc.nmae' (did you mean 'proc.name'?)".
 */
SINSP_API int sinsp_fields__check(const char *field);

/* ---- formatters ---- */
/** Output modes of formatters. */
enum sinsp_format_mode {
	SINSP_FORMAT_TEXT = 0, /**< a line of text */
	SINSP_FORMAT_JSON = 1, /**< one flat object per event; literal text of the format is ignored */
};
/** A compiled format (opaque). */
struct sinsp_formatter;

/**
 * Compile a format. NULL + errno (EINVAL: bad field, message in sinsp_last_error()).
 *
 * @param format the format ("%evt.num %proc.name %fd.name")
 * @param mode enum sinsp_format_mode
 * @return the formatter (free it with sinsp_formatter__free()), or NULL with errno set
 */
SINSP_API SINSP_NODISCARD struct sinsp_formatter *sinsp_formatter__create(const char *format, int mode);
/**
 * sinsp_formatter__create(), and on EINVAL for a bad format *err_pos (when err_pos is not NULL)
 * gets the 0-based byte offset of the problem in format (-1 for bad arguments), as
 * sinsp_filter__compile() does for filters.
 */
SINSP_API SINSP_NODISCARD struct sinsp_formatter *sinsp_formatter__compile(const char *format, int mode, int *err_pos);
/** Free a formatter (NULL is ignored). */
SINSP_API void sinsp_formatter__free(struct sinsp_formatter *f);
/**
 * Format evt into buf (size bytes, always NUL-terminated when size > 0). Returns the full length of
 * the line (as snprintf: a result >= size means buf holds a truncated copy), or -ENODATA when the
 * format has no leading '*' and one of its fields is missing for this event (no line).
 */
SINSP_API int sinsp_formatter__format(struct sinsp_formatter *f, const struct sinsp_event *evt, char *buf, size_t size);
/**
 * The same as sinsp_formatter__format(), into a string owned by f and valid until the next call
 * on f; NULL + errno ENODATA.
 */
SINSP_API const char *sinsp_formatter__format_str(struct sinsp_formatter *f, const struct sinsp_event *evt);

/* ---- batch extraction ---- */
/** Types of extracted columns (sinsp_column.type), by field type. */
enum sinsp_column_type {
	SINSP_COL_INT64 = 0,  /**< INT64, BOOL (0/1) */
	SINSP_COL_UINT64 = 1, /**< UINT64, PORT, ABSTIME, RELTIME */
	SINSP_COL_DOUBLE = 2, /**< DOUBLE */
	SINSP_COL_STRING = 3, /**< everything else, rendered as outputs show it */
};
/** One field's values for the events of the last sinsp_extractor__run(). */
struct sinsp_column {
	size_t sz;		 /**< set by the caller to sizeof(struct sinsp_column) */
	uint32_t type;		 /**< enum sinsp_column_type */
	uint32_t n;		 /**< rows (events) */
	const uint8_t *present;	 /**< n bytes: 1 if the field was available */
	const int64_t *i64;	 /**< SINSP_COL_INT64: n values */
	const uint64_t *u64;	 /**< SINSP_COL_UINT64: n values */
	const double *f64;	 /**< SINSP_COL_DOUBLE: n values */
	const uint32_t *offsets; /**< SINSP_COL_STRING: n + 1 offsets into data (row i = data[off[i], off[i+1])) */
	const char *data;	 /**< SINSP_COL_STRING: the values' bytes */
	/**
	 * SINSP_COL_STRING after sinsp_extractor__set_dict(x, i, 1): the column dictionary-encoded
	 * instead (offsets and data are NULL): codes[i] is 0 for a missing value, k >= 1 for the k-th
	 * distinct value of the run, which is dict_data[dict_offsets[k - 1], dict_offsets[k]).
	 * n codes.
	 */
	const uint32_t *codes;
	uint32_t ndict;		      /**< distinct values in this run */
	const uint32_t *dict_offsets; /**< ndict + 1 offsets into dict_data */
	const char *dict_data;	      /**< the distinct values' bytes */
};
/** A compiled list of fields to extract (opaque). */
struct sinsp_extractor;

/**
 * Compile a list of fields. NULL + errno (EINVAL: bad field, message in sinsp_last_error()).
 *
 * @param fields the field names
 * @param nfields the number of fields
 * @return the extractor (free it with sinsp_extractor__free()), or NULL with errno set
 */
SINSP_API SINSP_NODISCARD struct sinsp_extractor *sinsp_extractor__create(const char *const *fields, uint32_t nfields);
/** Free an extractor (NULL is ignored). */
SINSP_API void sinsp_extractor__free(struct sinsp_extractor *x);
/**
 * Read up to max events from insp (as sinsp_inspector__next: filtered, state updated) and extract
 * every field of each. Returns 0 with *n > 0, or SCAP_STATUS_TIMEOUT / SCAP_STATUS_EOF with *n == 0
 * (events already extracted are returned first), or a negative errno.
 */
SINSP_API int sinsp_extractor__run(struct sinsp_extractor *x, struct sinsp_inspector *insp, uint32_t max, uint32_t *n);
/**
 * Column of field i from the last run (col->sz set by the caller); the pointers stay valid until
 * the next run/free. 0 or -EINVAL.
 */
SINSP_API int sinsp_extractor__column(struct sinsp_extractor *x, uint32_t i, struct sinsp_column *col);
/**
 * Dictionary-encode string column i from the next run on (on != 0; 0 goes back to offsets + data):
 * each distinct value of a run is stored once (see struct sinsp_column). Switching drops the last
 * run's values (the next sinsp_extractor__column() reports n = 0). -EINVAL if field i is not a
 * string column.
 */
SINSP_API int sinsp_extractor__set_dict(struct sinsp_extractor *x, uint32_t i, int on);

#ifdef __cplusplus
}
#endif
#endif
