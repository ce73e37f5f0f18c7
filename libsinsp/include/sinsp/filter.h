/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file
 * Filters: compile a filter expression once, install it on an inspector
 * (sinsp_inspector__set_filter, sinsp/inspector.h), free it when done.
 *
 * The language is upstream Falco's (and/or/not, parentheses, = != < <= > >= contains icontains
 * bcontains startswith bstartswith endswith glob iglob pmatch in intersects exists regex, the
 * oneof/anyof/allof modifiers, the tolower/toupper/b64/basename/len/join/concat/getopt
 * transformers, val(field) comparisons, field arguments such as proc.aname[2] or evt.arg.fd).
 *
 * Errors follow libsinsp's conventions: NULL + errno from constructors, 0 or a negative errno from
 * int functions, and sinsp_last_error() for the calling thread's message, e.g.
 * `"expected a value after '=' at position 12\nproc.name = \n            ^"`
 * (the message, then the filter text and a caret line under the position).
 */
#ifndef SINSP_FILTER_H
#define SINSP_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "sinsp/sinsp.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sinsp_inspector;
struct sinsp_event;
/** A compiled filter; owned by the caller (opaque). */
struct sinsp_filter;

/**
 * Compile `text` against the fields of `insp`. Returns the filter (free it with
 * sinsp_filter__free, after uninstalling it from the inspector) or NULL with errno:
 * EINVAL for a bad filter (then *err_pos, if err_pos is not NULL, gets the 0-based byte offset
 * of the error, and sinsp_last_error() the message) or for NULL arguments (*err_pos = -1),
 * ENOMEM, ENOSYS when this libsinsp has no field registry for inspectors.
 * A compiled filter may be installed on one inspector at a time and run on one thread at a time.
 *
 * @param insp the inspector whose fields the filter uses
 * @param text the filter
 * @param[out] err_pos the error's position, or NULL
 * @return the filter, or NULL with errno set
 */
SINSP_API SINSP_NODISCARD struct sinsp_filter *sinsp_filter__compile(struct sinsp_inspector *insp, const char *text,
								     int *err_pos);

/**
 * Options of sinsp_filter__compile_opts(); zero-fill, then set sz = sizeof(struct sinsp_filter_opts)
 * (fields beyond sz are treated as zero, so older callers keep working).
 *
 * Macros: a bare identifier in the filter is replaced by its filter text (Falco rules' macros;
 * macros may use other macros, not themselves).
 *
 * Lists: an identifier used as a list (`proc.name in shells`, `= oneof shells`) gives these
 * values. The items of list i are list_items[list_offsets[i] .. list_offsets[i + 1]), so
 * list_offsets has n_lists + 1 entries.
 */
struct sinsp_filter_opts {
	size_t sz;			/**< sizeof(struct sinsp_filter_opts) */
	const char *const *macro_names; /**< the macros' names */
	const char *const *macro_texts; /**< their filter texts */
	uint32_t n_macros;		/**< entries of macro_names and macro_texts */
	const char *const *list_names;	/**< the lists' names */
	const uint32_t *list_offsets;	/**< n_lists + 1 offsets into list_items */
	const char *const *list_items;	/**< the items of every list, one list after the other */
	uint32_t n_lists;		/**< entries of list_names */
};

/**
 * sinsp_filter__compile() with macros and lists (opts may be NULL). Same errors, plus EINVAL for
 * malformed options (NULL names, decreasing offsets). The strings are copied: they need not outlive
 * the call.
 *
 * @param insp the inspector whose fields the filter uses
 * @param text the filter
 * @param opts the macros and lists, or NULL
 * @param[out] err_pos the error's position, or NULL
 * @return the filter, or NULL with errno set
 */
SINSP_API SINSP_NODISCARD struct sinsp_filter *sinsp_filter__compile_opts(struct sinsp_inspector *insp,
									  const char *text,
									  const struct sinsp_filter_opts *opts,
									  int *err_pos);

/**
 * Run a compiled filter on an event returned by sinsp_inspector__next() of the inspector it was
 * compiled for (for example to test several filters on each event without installing them).
 * 1 if the event matches, 0 if not, -EINVAL for NULL arguments.
 */
SINSP_API int sinsp_filter__matches(struct sinsp_filter *filter, const struct sinsp_event *evt);

/** Free a compiled filter (NULL is ignored). */
SINSP_API void sinsp_filter__free(struct sinsp_filter *filter);

/**
 * Check the syntax of `text` without resolving fields, macros or values (no inspector needed).
 * 0 if it parses; -EINVAL otherwise, with *err_pos and sinsp_last_error() set as above.
 */
SINSP_API int sinsp_filter__check_syntax(const char *text, int *err_pos);

/**
 * Write the canonical form of `text` (single spaces, minimal parentheses, values quoted only where
 * needed; parsing it gives the same filter) into buf, NUL-terminated. Returns the length of the
 * canonical text (not counting the NUL; if it is >= len, buf holds a truncated copy), or -EINVAL
 * for a bad filter (*err_pos and sinsp_last_error() set as above).
 */
SINSP_API int sinsp_filter__canonical(const char *text, char *buf, size_t len, int *err_pos);

#ifdef __cplusplus
}
#endif
#endif
